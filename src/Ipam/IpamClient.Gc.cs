using System.Net;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Releases every handle not in <paramref name="liveHandles"/> (what CNI GC's valid attachments
    /// name) that is older than <paramref name="gracePeriod"/>, so that an ADD still in flight is
    /// never undone; also drops pending affinities a crash left. Returns the released handle ids.
    /// With <paramref name="handlePrefix"/>, only handles that start with it are considered (one
    /// CNI network's GC must not touch another network's attachments).
    /// </summary>
    public async Task<IReadOnlyList<string>> GcAsync(IReadOnlySet<string> liveHandles, TimeSpan gracePeriod, string? handlePrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(liveHandles);
        var cutoff = _time.GetUtcNow() - gracePeriod;
        var released = new List<string>();
        var handles = (await _store.ListAsync<IPAMHandle>(cancellationToken).ConfigureAwait(false)).Items;
        foreach (var handle in handles)
        {
            if (!liveHandles.Contains(handle.Spec.HandleId)
                && (handlePrefix is null || handle.Spec.HandleId.StartsWith(handlePrefix, StringComparison.Ordinal))
                && (handle.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) <= cutoff)
            {
                await ReleaseHandleAsync(handle.Metadata.Name, cancellationToken).ConfigureAwait(false);
                released.Add(handle.Spec.HandleId);
            }
        }
        var report = await CheckAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var name in report.StaleAffinities)
        {
            var affinity = await _store.TryGetAsync<BlockAffinity>(name, cancellationToken).ConfigureAwait(false);
            if (affinity is not null && (affinity.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) <= cutoff)
            {
                await DeleteQuietlyAsync<BlockAffinity>(name, affinity.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            }
        }
        return released;
    }
}
