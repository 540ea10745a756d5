using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using RoutedNet.Common;
using RoutedNet.Felix.Bgp.GoBgp.Api;
using RoutedNet.Felix.Configuration;
using BgpPrefix = RoutedNet.BgpSpeaker.Wire.BgpPrefix;
using ApiPath = RoutedNet.Felix.Bgp.GoBgp.Api.Path;
using SessionState = RoutedNet.Felix.Bgp.GoBgp.Api.PeerState.Types.SessionState;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>
/// <see cref="IBgpBackend"/> that drives an external gobgpd (GoBGP 3.x) over its gRPC API
/// (`--bgp-backend gobgp --gobgp-api HOST:PORT`). gobgpd holds the sessions and the RIB; this class
/// turns the agent's whole-set calls into AddPeer/DeletePeer and AddPath/DeletePath, and follows
/// GoBGP's best-path events for the route reconciler. gobgpd does not touch the kernel itself, so
/// the agent stays the only writer of routes.
///
/// gobgpd outlives the agent: an instance already running with this node's AS, router id and port
/// was started by an earlier agent run and is adopted as it is (its sessions stay up, so a
/// restart or upgrade of the agent changes nothing its peers can see); its peers and our paths
/// are read back and then reconciled like any later change. An instance with another identity is
/// stopped and started afresh, so that no peer or path of unknown origin survives.
///
/// It behaves as the built-in speaker does (the same graceful-restart settings, export of our own
/// prefixes only, unless this node reflects routes); what GoBGP cannot tell, a peer's last error,
/// is said plainly in its place.
/// </summary>
public sealed partial class GoBgpBackend : IBgpBackend
{
    /// <summary>Seconds between connection attempts; GoBGP's default (120 s) would leave a restarted peer down for minutes.</summary>
    private const ulong ConnectRetrySeconds = 5;

    /// <summary>A broken best-path stream is opened again after 1 s, doubling up to 30 s while gobgpd stays away.</summary>
    private static readonly TimeSpan WatchRetryMin = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan WatchRetryMax = TimeSpan.FromSeconds(30);

    private readonly GrpcChannel _channel;
    private readonly GobgpApi.GobgpApiClient _api;
    private readonly ILogger<GoBgpBackend> _logger;
    private readonly Channel<IReadOnlyList<BestRoute>> _best = Channel.CreateUnbounded<IReadOnlyList<BestRoute>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<IPAddress, BgpPeerConfig> _peers = [];
    private readonly Dictionary<IPNetwork, Google.Protobuf.ByteString> _originated = [];
    private readonly CancellationTokenSource _stopping = new();
    private volatile BgpImport _import = BgpImport.Nothing;

    /// <summary>The configured peers' types, for the best-path watch (another thread): replaced whole after each change.</summary>
    private volatile ImmutableDictionary<IPAddress, PeerType> _peerTypes = ImmutableDictionary<IPAddress, PeerType>.Empty;
    private readonly TimeSpan _restartDeferral;

    /// <summary>Sessions of an adopted instance not yet matched with a wanted peer (SetPeersAsync keeps or replaces them).</summary>
    private readonly Dictionary<IPAddress, Peer> _adopted = [];
    private BgpLocalConfig? _local;
    private Task _watch = Task.CompletedTask;

    /// <summary>Batches written to <see cref="BestRoutes"/> since the backend was made (the host counts the same batches).</summary>
    private long _published;

    /// <summary>-1 while the watch's replay of the table is not published yet; then <see cref="_published"/> at that point.</summary>
    private long _selectedAfter;

    private long _replayStartedMs;

    private static readonly TimeSpan ReplayWait = TimeSpan.FromSeconds(2);
    private CancellationTokenSource? _watchStop;

    public GoBgpBackend(AgentOptions options, ILogger<GoBgpBackend> logger)
    {
        // gobgpd serves plaintext HTTP/2 (no TLS option is set on its --api-hosts listener).
        _channel = GrpcChannel.ForAddress($"http://{options.GoBgpApi}");
        _api = new GobgpApi.GobgpApiClient(_channel);
        _logger = logger;
        _restartDeferral = options.BgpRestartDeferral;
    }

    public ChannelReader<IReadOnlyList<BestRoute>> BestRoutes => _best.Reader;

    public string Name => "gobgp";

    /// <summary>
    /// gobgpd's own deferral is not visible over its API, but what this agent takes from its table
    /// is: which paths are learned depends on the peers' types and the import filter, which
    /// <see cref="SetPeersAsync"/> sets after the watch began. So when they change the watch is
    /// started again and its initial dump replays the table under them, and the routes count as
    /// selected once that replay is published (or, should gobgpd send nothing, after
    /// <see cref="ReplayWait"/>). Sweeping before it deleted every route an adopted gobgpd still
    /// held (its paths had been published as not learned, and nothing changed afterwards to
    /// publish them again): a node killed with SIGKILL lost its routes to the other nodes.
    /// </summary>
    public long? RoutesSelectedAfter
    {
        get
        {
            var selected = Volatile.Read(ref _selectedAfter);
            if (selected >= 0)
            {
                return selected;
            }
            return Environment.TickCount64 - Volatile.Read(ref _replayStartedMs) >= (long)ReplayWait.TotalMilliseconds ? Interlocked.Read(ref _published) : null;
        }
    }

    public IReadOnlyList<string> Limits { get; } =
    [
        "a peer's last error: GoBGP's API does not report it (gobgpd's log has it)",
        "ECMP: one next hop per prefix is installed (the built-in speaker installs up to 16)",
        "the decision step that chose a best path (`bgp rib` shows GoBGP)",
        "BFD (BGPPeer spec.bfd): the built-in speaker runs it; with GoBGP the peer has none",
        "BGPPeer nextHopMode and BGPConfiguration prefixAdvertisements: the built-in speaker applies them; GoBGP ignores them (its other per-peer fields it applies)",
        "ttlSecurity on connections the peer opens: gobgpd sets IP_MINTTL only after accept and does not judge the SYN's TTL, so a peer too far away can reach Established until its next packets are dropped (the built-in speaker refuses it by its SYN)",
        "the count of refused announcements (`bgp peers -o wide` IMPORT REJECTED): GoBGP keeps none; FILTERED shows what the peer's BGPFilter rules refuse now",
        "`node drain` towards iBGP peers: LOCAL_PREF 1 with GRACEFUL_SHUTDOWN 65535:0, not 0 (GoBGP's API reads 0 as unset)",
    ];

    public async Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken)
    {
        _local = local;
        _peers.Clear();
        _peerTypes = ImmutableDictionary<IPAddress, PeerType>.Empty;
        _originated.Clear();
        _adopted.Clear();
        var running = await _api.GetBgpAsync(new GetBgpRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (running.Global is { Asn: not 0 } global && global.Asn == local.AsNumber && global.RouterId == local.RouterId.ToString() && global.ListenPort == local.ListenPort)
        {
            await AdoptAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("gobgpd already runs AS {As}, router id {RouterId}: adopted with its {Peers} sessions and {Paths} paths of ours, untouched", global.Asn, global.RouterId, _adopted.Count, _originated.Count);
        }
        else
        {
            if (running.Global is { Asn: not 0 } other)
            {
                _logger.LogWarning("gobgpd already runs AS {As} (router id {RouterId}); restarting its BGP instance", other.Asn, other.RouterId);
                await _api.StopBgpAsync(new StopBgpRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await _api.StartBgpAsync(
                new StartBgpRequest
                {
                    Global = new Global { Asn = local.AsNumber, RouterId = local.RouterId.ToString(), ListenPort = local.ListenPort },
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        // The policy without peers' rules (replacing what an earlier run defined) and without graceful
        // shutdown: SetPeersAsync adds the rules, and the host, which knows the drain, turns it on again.
        _policy = null;
        _gracefulShutdown = false;
        await ApplyPolicyAsync([], cancellationToken).ConfigureAwait(false);
        // A watch of its own, whose initial dump replays the instance's table.
        await RestartWatchAsync().ConfigureAwait(false);
    }

    /// <summary>(Re)starts the best-path watch: its initial dump replays gobgpd's table under the current peers and import filter.</summary>
    private async Task RestartWatchAsync()
    {
        await StopWatchAsync().ConfigureAwait(false);
        Volatile.Write(ref _replayStartedMs, Environment.TickCount64);
        Volatile.Write(ref _selectedAfter, -1);
        _watchStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _watch = WatchBestPathsAsync(_watchStop.Token);
    }

    /// <summary>Reads back what an earlier agent configured: its peers (to match against the wanted ones) and our own paths.</summary>
    private async Task AdoptAsync(CancellationToken cancellationToken)
    {
        using (var call = _api.ListPeer(new ListPeerRequest(), cancellationToken: cancellationToken))
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (IPAddress.TryParse(response.Peer.Conf?.NeighborAddress, out var address))
                {
                    _adopted[address] = response.Peer;
                }
            }
        }
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            using var call = _api.ListPath(new ListPathRequest { TableType = TableType.Global, Family = GoBgpPaths.FamilyOf(family) }, cancellationToken: cancellationToken);
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var path in response.Destination.Paths)
                {
                    // Only paths added through the API carry a uuid: ours.
                    if (GoBgpPaths.PeerOf(path) is null && !path.Uuid.IsEmpty && GoBgpPaths.PrefixOf(path) is { } prefix)
                    {
                        _originated[prefix] = path.Uuid;
                    }
                }
            }
        }
    }

    public async Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken)
    {
        var importBefore = _import;
        _import = import;
        var wanted = peers.ToDictionary(p => p.Address);
        var policiesBefore = _peers.ToDictionary(p => p.Key, p => p.Value.EffectivePolicy);
        // Before any session is added, so that a new one is filtered from its first UPDATE.
        var policyChanged = await ApplyPolicyAsync(peers, cancellationToken).ConfigureAwait(false);
        foreach (var (address, current) in _peers.ToList())
        {
            // GoBGP's UpdatePeer cannot change every field (e.g. AS, password): a changed peer is re-added.
            // Its routing policy is gobgpd's policy, not a session setting: a changed filter keeps the session.
            if (!wanted.TryGetValue(address, out var config)
                || config with { Policy = null } != current with { Policy = null }
                || SessionFieldsOf(config.EffectivePolicy) != SessionFieldsOf(current.EffectivePolicy))
            {
                await _api.DeletePeerAsync(new DeletePeerRequest { Address = address.ToString() }, cancellationToken: cancellationToken).ConfigureAwait(false);
                _peers.Remove(address);
            }
        }
        foreach (var (address, adopted) in _adopted.ToList())
        {
            // An adopted session that is still wanted as it is stays up; anything else is replaced or removed.
            _adopted.Remove(address);
            if (wanted.TryGetValue(address, out var config) && SameSettings(adopted, ToPeer(config)))
            {
                _peers[address] = config;
                continue;
            }
            await _api.DeletePeerAsync(new DeletePeerRequest { Address = address.ToString() }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        foreach (var (address, config) in wanted)
        {
            if (!_peers.ContainsKey(address))
            {
                await _api.AddPeerAsync(new AddPeerRequest { Peer = ToPeer(config) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            // A kept session's config may differ in its policy alone (ApplyRuleChangesAsync compares the rules).
            _peers[address] = config;
        }
        var typesBefore = _peerTypes;
        _peerTypes = _peers.ToImmutableDictionary(p => p.Key, p => p.Value.Type);
        if (policyChanged)
        {
            await ApplyRuleChangesAsync(policiesBefore, cancellationToken).ConfigureAwait(false);
        }
        if (!SameAcceptance(typesBefore, _peerTypes, importBefore, import))
        {
            // Paths already published were judged by the old peers and filter: replay them.
            await RestartWatchAsync().ConfigureAwait(false);
        }
    }

    private static bool SameAcceptance(ImmutableDictionary<IPAddress, PeerType> typesBefore, ImmutableDictionary<IPAddress, PeerType> types, BgpImport importBefore, BgpImport import) =>
        typesBefore.Count == types.Count
        && types.All(t => typesBefore.TryGetValue(t.Key, out var before) && before == t.Value)
        && importBefore.Pools.SequenceEqual(import.Pools)
        && importBefore.NodeOwned.SequenceEqual(import.NodeOwned);

    public async Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken)
    {
        foreach (var gone in _originated.Keys.Where(p => !prefixes.Contains(p)).ToList())
        {
            await DeletePathAsync(gone, cancellationToken).ConfigureAwait(false);
        }
        foreach (var prefix in prefixes.Where(p => !_originated.ContainsKey(p)))
        {
            await AddPathAsync(prefix, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AddPathAsync(IPNetwork prefix, CancellationToken cancellationToken)
    {
        var path = GoBgpPaths.Originate(prefix, NextHopFor(prefix.BaseAddress.AddressFamily));
        var added = await _api.AddPathAsync(new AddPathRequest { TableType = TableType.Global, Path = path }, cancellationToken: cancellationToken).ConfigureAwait(false);
        _originated[prefix] = added.Uuid;
    }

    private async Task DeletePathAsync(IPNetwork prefix, CancellationToken cancellationToken)
    {
        await _api.DeletePathAsync(
            new DeletePathRequest { TableType = TableType.Global, Family = GoBgpPaths.FamilyOf(prefix.BaseAddress.AddressFamily), Uuid = _originated[prefix] },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _originated.Remove(prefix);
    }

    public async Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken)
    {
        if (!_peerTypes.ContainsKey(peer))
        {
            return PeerCommandResult.NotConfigured;
        }
        await _api.ResetPeerAsync(new ResetPeerRequest { Address = peer.ToString(), Communication = "routednetctl bgp reset" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return PeerCommandResult.Done;
    }

    /// <summary>
    /// GoBGP's soft reset in: gobgpd keeps every peer's Adj-RIB-In, so it runs the import again over
    /// what it holds instead of sending a ROUTE-REFRESH (the peer sees nothing).
    /// </summary>
    public async Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken)
    {
        if (!_peerTypes.ContainsKey(peer))
        {
            return PeerCommandResult.NotConfigured;
        }
        await _api.ResetPeerAsync(
            new ResetPeerRequest { Address = peer.ToString(), Soft = true, Direction = ResetPeerRequest.Types.SoftResetDirection.In },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return PeerCommandResult.Done;
    }

    public async Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken)
    {
        var result = new List<BgpPeerStatus>();
        using var call = _api.ListPeer(new ListPeerRequest(), cancellationToken: cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var peer = response.Peer;
            if (!IPAddress.TryParse(peer.State?.NeighborAddress ?? peer.Conf?.NeighborAddress, out var address)
                || !_peers.TryGetValue(address, out var config))
            {
                continue;
            }
            var state = ToState(peer.State?.SessionState ?? SessionState.Unknown);
            var timers = peer.Timers?.State;
            var since = state == PeerState.Established ? timers?.Uptime : timers?.Downtime;
            var counts = peer.AfiSafis.Select(a => a.State).OfType<AfiSafiState>().ToList();
            var filtered = await FilteredByRulesAsync(config, cancellationToken).ConfigureAwait(false);
            result.Add(new BgpPeerStatus(
                config,
                state,
                since?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
                LastError: MissingSourceAddress(config, state) ?? LastErrorOf(peer, state),
                PrefixesReceived: (long)counts.Sum(c => (decimal)c.Received),
                PrefixesAccepted: Math.Max(0, (long)counts.Sum(c => (decimal)c.Accepted) - filtered),
                PrefixesAdvertised: (long)counts.Sum(c => (decimal)c.Advertised),
                Flaps: peer.State?.Flops ?? 0,
                UpdatesReceived: (long)(peer.State?.Messages?.Received?.Update ?? 0),
                UpdatesSent: (long)(peer.State?.Messages?.Sent?.Update ?? 0)));
        }
        return result;
    }

    public async Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken)
    {
        var entries = new List<BgpRibEntry>();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var request = new ListPathRequest { TableType = TableType.Global, Family = GoBgpPaths.FamilyOf(family) };
            using var call = _api.ListPath(request, cancellationToken: cancellationToken);
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var best = response.Destination.Paths.FirstOrDefault(p => p.Best);
                if (best is null || GoBgpPaths.PrefixOf(best) is not { } prefix)
                {
                    continue;
                }
                var peer = GoBgpPaths.PeerOf(best);
                IReadOnlyList<IPAddress> nextHops = GoBgpPaths.NextHopOf(best) is { } nextHop ? [nextHop] : [];
                // GoBGP's API does not say which decision step chose the path.
                entries.Add(new BgpRibEntry(prefix, nextHops, GoBgpPaths.AsPathOf(best), "GoBGP", peer, peer is null));
            }
        }
        return entries;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_local is null)
        {
            return;
        }
        await SetAdvertisementsAsync([], cancellationToken).ConfigureAwait(false);
        foreach (var address in _peers.Keys)
        {
            // DisablePeer sends Cease / Administrative Shutdown (RFC 4486 subcode 2); DeletePeer alone would say "Peer De-configured".
            await _api.DisablePeerAsync(new DisablePeerRequest { Address = address.ToString(), Communication = "routednet-node shutdown" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        await _api.StopBgpAsync(new StopBgpRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        _peers.Clear();
        _peerTypes = ImmutableDictionary<IPAddress, PeerType>.Empty;
        _local = null;
    }

    /// <summary>
    /// gobgpd holds the sessions and keeps running: peers see no change at all while the agent is
    /// away; the next agent adopts the running instance (<see cref="StartAsync"/>).
    /// </summary>
    public async Task StopForRestartAsync(CancellationToken cancellationToken)
    {
        await StopWatchAsync().ConfigureAwait(false);
        _local = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopWatchAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _channel.Dispose();
    }

    private async Task StopWatchAsync()
    {
        if (_watchStop is null)
        {
            return;
        }
        await _watchStop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        _watchStop.Dispose();
        _watchStop = null;
    }

    /// <summary>
    /// Follows GoBGP's best paths (with the current table first, `init`), reconnecting if the stream
    /// breaks. A local best path, a withdrawal or a prefix <see cref="BgpImport"/> does not take from
    /// that peer is reported as "no learned route", so only imported routes via peers reach the kernel.
    /// </summary>
    private async Task WatchBestPathsAsync(CancellationToken cancellationToken)
    {
        var request = new WatchEventRequest { Table = new WatchEventRequest.Types.Table() };
        request.Table.Filters.Add(new WatchEventRequest.Types.Table.Types.Filter { Type = WatchEventRequest.Types.Table.Types.Filter.Types.Type.Best, Init = true });
        var backoff = new Backoff(WatchRetryMin, WatchRetryMax);
        while (true)
        {
            try
            {
                using var call = _api.WatchEvent(request, cancellationToken: cancellationToken);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    backoff.Reset();
                    if (response.Table is { } table)
                    {
                        foreach (var path in table.Paths)
                        {
                            Publish(path);
                        }
                    }
                    if (Volatile.Read(ref _selectedAfter) < 0)
                    {
                        // The first answer of a (re)started watch is its replay of the table.
                        Volatile.Write(ref _selectedAfter, Interlocked.Read(ref _published));
                    }
                }
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("gobgpd best-path watch failed ({Status}); retrying", e.Status.Detail);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                return;
            }
            try
            {
                await backoff.DelayAsync(TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish(ApiPath path)
    {
        if (GoBgpPaths.PrefixOf(path) is not { } prefix)
        {
            return;
        }
        // The peer's type decides (BgpImport); a path from a peer no longer configured is not taken.
        var learned = !path.IsWithdraw
            && GoBgpPaths.PeerOf(path) is { } peer
            && _peerTypes.TryGetValue(peer, out var type)
            && _import.Accepts(type, prefix);
        IReadOnlyList<IPAddress> nextHops = learned && GoBgpPaths.NextHopOf(path) is { } nextHop ? [nextHop] : [];
        if (_best.Writer.TryWrite([new BestRoute(BgpPrefix.FromIPNetwork(prefix), nextHops)]))
        {
            Interlocked.Increment(ref _published);
        }
    }

    private IPAddress? LocalAddressFor(AddressFamily family) =>
        _local?.Addresses.FirstOrDefault(a => a.AddressFamily == family);

    /// <summary>Our address of the prefix's family; without one GoBGP's "unspecified" next hop means "the session's local address".</summary>
    private IPAddress NextHopFor(AddressFamily family) =>
        LocalAddressFor(family) ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);
}
