using System.Text.Json;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// Follows one core kind straight on the API (Pods, Namespaces), as
/// <see cref="RoutedNet.Felix.Datastore.ResourceWatcher{T}"/> follows the datastore's kinds: list,
/// then watch from the list's resourceVersion through the kubestore's watch reader (which resumes
/// a broken stream itself and passes bookmarks through); a 410 (history gone) relists at once,
/// any other error relists after a capped backoff. Each list hands the whole set over, so what
/// was deleted while the watch was down disappears from the agent's copy.
/// </summary>
public sealed class KubeObjectWatcher<T>(KubeApi api, KubeResource resource, KubeQuery query, Func<JsonElement, T> convert, TimeProvider time)
{
    public static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs until cancelled: <paramref name="listed"/> gets each full list with the list's
    /// resourceVersion, <paramref name="changed"/> each change (true: deleted) with the event's,
    /// <paramref name="failed"/> each error.
    /// </summary>
    public async Task RunAsync(Action<IReadOnlyList<T>, string> listed, Action<T, bool, string> changed, Action<Exception> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(failed);
        var backoff = new Backoff(MinRetry, MaxRetry);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await api.ListAsync(resource, query, cancellationToken).ConfigureAwait(false);
                listed(list.Items.Select(convert).ToList(), list.ResourceVersion);
                backoff.Reset();
                await foreach (var change in api.WatchAsync(resource, list.ResourceVersion, query, cancellationToken).ConfigureAwait(false))
                {
                    if (change.Type != KubeWatchEventType.Bookmark)
                    {
                        changed(convert(change.Object), change.Type == KubeWatchEventType.Deleted, change.ResourceVersion);
                    }
                }
            }
            catch (RevisionCompactedException)
            {
                // The history we would resume from is gone: relist now.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
                await backoff.DelayAsync(time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
