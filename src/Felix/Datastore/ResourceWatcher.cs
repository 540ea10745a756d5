using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Follows one kind: list, then watch from the list's revision; on a compacted revision, a broken
/// watch or any datastore error, list again (after a capped backoff for errors). A relist hands
/// the whole set over, so whatever was deleted in between disappears from the cache (the
/// informer pattern of Kubernetes clients and YARP's ResourceInformer).
/// </summary>
public sealed class ResourceWatcher<T>(IStore store, TimeProvider time)
    where T : Resource, IResourceKind<T>
{
    /// <summary>The first wait after a datastore error; node registration retries on the same scale.</summary>
    public static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs until cancelled. <paramref name="listed"/> gets each full list and its revision, <paramref name="changed"/>
    /// each watch event, <paramref name="failed"/> each error (the watcher carries on).
    /// </summary>
    public async Task RunAsync(
        Action<IReadOnlyList<T>, string> listed,
        Action<WatchEvent<T>> changed,
        Action<Exception> failed,
        CancellationToken cancellationToken)
    {
        var backoff = new Backoff(MinRetry, MaxRetry);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await store.ListAsync<T>(cancellationToken).ConfigureAwait(false);
                listed(list.Items, list.ResourceVersion);
                backoff.Reset();
                await foreach (var change in store.WatchAsync<T>(list.ResourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    changed(change);
                }
            }
            catch (RevisionCompactedException)
            {
                // History we missed is gone: the relist just below is the cure, no need to wait.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
                await backoff.DelayAsync(time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
