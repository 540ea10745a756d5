using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Selectors;
using RoutedNet.Ipam.Cache;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam;

/// <summary>
/// Pools → blocks → node affinity → addresses, over any <see cref="IStore"/>. Many processes on
/// many nodes use it at once, and every write is a compare-and-swap, retried a bounded number of
/// times when a race is lost. A lost race never hands out an address twice: the loser re-reads and
/// starts over. How a block and its handle change together depends on the store
/// (<see cref="WriteMode"/>): in one transaction (sqlite, etcd), or one object at a time in a fixed
/// order (the Kubernetes API) whose interrupted steps check reports and gc repairs. Without a
/// <see cref="NodeBlockCache"/> it keeps nothing between calls; with one (the node agent) it reads
/// its node's blocks, affinities, pools and settings from memory fed by watches.
/// </summary>
public sealed partial class IpamClient
{
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly int _maxRetries;
    private readonly NodeBlockCache? _cache;

    /// <param name="cache">
    /// The node's blocks kept by watches (started by the caller); used for requests of its node.
    /// </param>
    public IpamClient(IStore store, TimeProvider? timeProvider = null, int maxRetries = 64, NodeBlockCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _maxRetries = maxRetries;
        _cache = cache;
        WriteMode = store.SupportsTransactions ? IpamWriteMode.Transactional : IpamWriteMode.Sequential;
    }

    /// <summary>Chosen by the store's capability, once: one way of writing per store.</summary>
    public IpamWriteMode WriteMode { get; }

    private bool Sequential => WriteMode == IpamWriteMode.Sequential;

    /// <summary>The cluster-wide settings, or the defaults when none were written.</summary>
    public async Task<IPAMConfigSpec> GetConfigAsync(CancellationToken cancellationToken = default)
    {
        if (_cache is not null && _cache.TryGetConfig(out var cached))
        {
            return cached ?? new IPAMConfigSpec();
        }
        return (await _store.TryGetAsync<IPAMConfig>(IPAMConfigSpec.DefaultName, cancellationToken).ConfigureAwait(false))?.Spec
            ?? new IPAMConfigSpec();
    }

    /// <summary>Changes the cluster-wide settings with CAS (creating them on first use).</summary>
    public async Task<IPAMConfigSpec> ConfigureAsync(Func<IPAMConfigSpec, IPAMConfigSpec> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var current = await _store.TryGetAsync<IPAMConfig>(IPAMConfigSpec.DefaultName, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    var created = await _store.CreateAsync(
                        new IPAMConfig { Metadata = new ObjectMeta { Name = IPAMConfigSpec.DefaultName }, Spec = change(new IPAMConfigSpec()) },
                        cancellationToken).ConfigureAwait(false);
                    return created.Spec;
                }
                var updated = await _store.UpdateAsync(current with { Spec = change(current.Spec) }, cancellationToken).ConfigureAwait(false);
                return updated.Spec;
            }
            catch (Exception e) when (IsLostRace(e))
            {
            }
        }
        throw TooManyConflicts("configure IPAM");
    }

    private static bool IsLostRace(Exception e) =>
        e is RevisionConflictException or ResourceAlreadyExistsException or ResourceNotFoundException;

    private static IpamException TooManyConflicts(string what) =>
        new(IpamErrorCode.TooManyConflicts, $"{what}: gave up after repeated write conflicts");

    private async Task<IReadOnlyList<PoolView>> ListPoolsAsync(CancellationToken cancellationToken)
    {
        if (_cache is not null && _cache.TryGetPools(out var cached))
        {
            return cached;
        }
        return await ListStoredPoolsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PoolView>> ListStoredPoolsAsync(CancellationToken cancellationToken)
    {
        var pools = await _store.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false);
        return pools.Items.Select(PoolView.From).ToArray();
    }

    /// <summary>
    /// The pools a node draws from for one family: those named (by name or CIDR), else every
    /// enabled pool whose nodeSelector matches the node's labels.
    /// </summary>
    private async Task<IReadOnlyList<PoolView>> SelectPoolsAsync(
        IReadOnlyList<PoolView> all, IReadOnlyList<string> named, string node, AddressFamily family, CancellationToken cancellationToken)
    {
        List<PoolView> chosen = [];
        if (named.Count > 0)
        {
            foreach (var name in named)
            {
                var pool = all.FirstOrDefault(p => p.Name == name || p.Pool.Spec.Cidr == name)
                    ?? throw new IpamException(IpamErrorCode.InvalidRequest, $"IP pool \"{name}\" does not exist");
                if (pool.Cidr.BaseAddress.AddressFamily == family && !pool.Pool.Spec.Disabled)
                {
                    chosen.Add(pool);
                }
            }
            return chosen;
        }
        var candidates = new List<(PoolView Pool, Selector Selector)>();
        foreach (var pool in all)
        {
            if (pool.Cidr.BaseAddress.AddressFamily != family || pool.Pool.Spec.Disabled)
            {
                continue;
            }
            try
            {
                candidates.Add((pool, Selector.Parse(pool.Pool.Spec.NodeSelector)));
            }
            catch (FormatException e)
            {
                throw new IpamException(IpamErrorCode.InvalidRequest, $"IP pool \"{pool.Name}\": {e.Message}", e);
            }
        }
        // The node's labels only matter to a selector other than all(): pools for every node
        // (the usual case) cost no read of the Node on each CNI ADD.
        var nodeLabels = candidates.Any(c => !c.Selector.IsAll)
            ? (await _store.TryGetAsync<Node>(node, cancellationToken).ConfigureAwait(false))?.Metadata.Labels
            : null;
        chosen.AddRange(candidates.Where(c => c.Selector.Matches(nodeLabels)).Select(c => c.Pool));
        return chosen;
    }

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    private static IPNetwork ParseCidr(string cidr) => IPNetwork.Parse(cidr);
}
