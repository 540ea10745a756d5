using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Gc;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Releases every handle in <paramref name="scope"/> that is not in <paramref name="liveHandles"/>
    /// (what CNI GC's valid attachments name) and is older than <paramref name="gracePeriod"/>, so
    /// that an ADD still in flight is never undone; also drops pending affinities (of the scope's
    /// node) a crash left. Returns the released handle ids. Handles outside the scope are never
    /// touched: a node's GC knows only its own node's live attachments.
    /// </summary>
    public async Task<IReadOnlyList<string>> GcAsync(IReadOnlySet<string> liveHandles, TimeSpan gracePeriod, GcScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(liveHandles);
        ArgumentNullException.ThrowIfNull(scope);
        var cutoff = _time.GetUtcNow() - gracePeriod;
        var released = new List<string>();
        var handles = (await _store.ListAsync<IPAMHandle>(cancellationToken).ConfigureAwait(false)).Items;
        var owners = scope.IsCluster ? null : await HandleOwnersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var handle in handles)
        {
            if (!liveHandles.Contains(handle.Spec.HandleId)
                && (owners is null || InScope(handle.Spec.HandleId, owners, scope))
                && (handle.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) <= cutoff)
            {
                await ReleaseHandleAsync(handle.Metadata.Name, cancellationToken).ConfigureAwait(false);
                released.Add(handle.Spec.HandleId);
            }
        }
        var (report, interrupted) = await InspectAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var name in report.StaleAffinities)
        {
            var affinity = await _store.TryGetAsync<BlockAffinity>(name, cancellationToken).ConfigureAwait(false);
            if (affinity is not null
                && (scope.Node is null || affinity.Spec.Node == scope.Node)
                && (affinity.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) <= cutoff)
            {
                await DeleteQuietlyAsync<BlockAffinity>(name, affinity.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            }
        }
        await RepairAsync(interrupted, cutoff, scope, owners, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <summary>Handle id → the attributes of each of its allocations, from every block.</summary>
    private async Task<Dictionary<string, List<IReadOnlyDictionary<string, string>?>>> HandleOwnersAsync(CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, List<IReadOnlyDictionary<string, string>?>>(StringComparer.Ordinal);
        foreach (var block in (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items)
        {
            var attributes = block.Spec.Attributes;
            foreach (var index in block.Spec.Allocations)
            {
                if (index is not { } i || i < 0 || i >= attributes.Count || attributes[i].HandleId is not { } handleId)
                {
                    continue;
                }
                if (!owners.TryGetValue(handleId, out var list))
                {
                    owners[handleId] = list = [];
                }
                list.Add(attributes[i].Secondary);
            }
        }
        return owners;
    }

    /// <summary>
    /// Whether every allocation of the handle says it belongs to the scope's node and, by its
    /// container id and interface, to exactly the scope's network. A handle holding nothing proves
    /// nothing and stays (it holds no address either).
    /// </summary>
    private static bool InScope(string handleId, Dictionary<string, List<IReadOnlyDictionary<string, string>?>> owners, GcScope scope) =>
        owners.TryGetValue(handleId, out var allocations)
        && allocations.Count > 0
        && allocations.TrueForAll(attributes => attributes is not null
            && (scope.Node is null || attributes.GetValueOrDefault(AttributeKeys.Node) == scope.Node)
            && (scope.Network is null
                || (attributes.GetValueOrDefault(AttributeKeys.ContainerId) is { } containerId
                    && attributes.GetValueOrDefault(AttributeKeys.Interface) is { } ifName
                    && handleId == $"{scope.Network}.{containerId}.{ifName}")));
}
