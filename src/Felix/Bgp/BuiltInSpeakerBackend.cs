using System.Collections.Immutable;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RoutedNet.BgpSpeaker;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.Felix.Configuration;
using SpeakerState = RoutedNet.BgpSpeaker.Fsm.SessionState;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// <see cref="IBgpBackend"/> over the in-process speaker (src/BgpSpeaker). It keeps what it last
/// configured so each whole-set call becomes the minimal add/update/remove: a peer whose settings
/// did not change keeps its session. Import is <see cref="BgpImport"/> (everything from a BGPPeer but
/// what would override the node's own; pool prefixes from the mesh); export is our own prefixes,
/// plus learned ones when this node reflects routes.
/// </summary>
public sealed class BuiltInSpeakerBackend : IBgpBackend
{
    /// <summary>ECMP next hops installed per prefix (BIRD's "merge paths" limit).</summary>
    public const int MaxPaths = 16;

    /// <summary>The TTL of BIRD's <c>multihop</c> without a count, which Calico's template sets on every peer.</summary>
    private const int CalicoMultihopTtl = 64;

    private readonly AgentOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Channel<IReadOnlyList<BestRoute>> _best = Channel.CreateUnbounded<IReadOnlyList<BestRoute>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly HashSet<IPNetwork> _originated = [];

    /// <summary>
    /// What is configured. Only SetPeersAsync (the host loop) writes it, one whole snapshot at a time;
    /// GetPeersAsync reads it from the API, metrics and sweep threads.
    /// </summary>
    private volatile ImmutableDictionary<IPAddress, (BgpPeerConfig Config, BgpImport Import)> _peers =
        ImmutableDictionary<IPAddress, (BgpPeerConfig Config, BgpImport Import)>.Empty;
    private RoutedNet.BgpSpeaker.BgpSpeaker? _speaker;
    private BgpLocalConfig? _local;
    private Task _pump = Task.CompletedTask;
    private long _bestWritten;
    private long _bestWrittenAtStart;
    private readonly PeerBfd _bfd;

    public BuiltInSpeakerBackend(AgentOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time;
        _bfd = new PeerBfd(peer => _speaker is { } speaker ? speaker.PathDownAsync(peer) : Task.CompletedTask, loggerFactory.CreateLogger<BuiltInSpeakerBackend>());
    }

    public ChannelReader<IReadOnlyList<BestRoute>> BestRoutes => _best.Reader;

    public string Name => "builtin";

    // The speaker counts its own batches; they reach _best one for one, after those of earlier speakers.
    public long? RoutesSelectedAfter => _speaker?.RoutesSelectedAfter is { } n ? Volatile.Read(ref _bestWrittenAtStart) + n : null;

    public IReadOnlyList<string> Limits => [];

    public async Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken)
    {
        _local = local;
        // A restart (new identity) begins with a speaker that has no peers and originates nothing yet.
        _peers = _peers.Clear();
        _originated.Clear();
        _speaker = new RoutedNet.BgpSpeaker.BgpSpeaker(
            new BgpGlobalOptions
            {
                LocalAs = local.AsNumber,
                RouterId = local.RouterId,
                ListenPort = local.ListenPort,
                ClusterId = local.RouteReflectorClusterId,
                MaxPaths = MaxPaths,
                GracefulRestart = new GracefulRestartOptions
                {
                    Restarting = local.RestartingWithRoutesKept,
                    SelectionDeferralTime = _options.BgpRestartDeferral,
                },
            },
            _loggerFactory,
            _time);
        // The previous speaker's pump has ended (it is awaited when that speaker stops).
        Volatile.Write(ref _bestWrittenAtStart, Volatile.Read(ref _bestWritten));
        await _speaker.StartAsync(cancellationToken).ConfigureAwait(false);
        _pump = PumpAsync(_speaker);
    }

    public async Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken)
    {
        var speaker = Speaker();
        var wanted = peers.ToDictionary(p => p.Address);
        foreach (var gone in _peers.Keys.Where(a => !wanted.ContainsKey(a)).ToList())
        {
            await speaker.RemovePeerAsync(gone).ConfigureAwait(false);
            _peers = _peers.Remove(gone);
        }
        // One peer the speaker refuses does not keep the others from being applied; the host
        // retries the refused ones (they stay out of _peers, so the next call tries them again).
        List<string>? refused = null;
        foreach (var (address, config) in wanted)
        {
            try
            {
                if (!_peers.TryGetValue(address, out var current))
                {
                    await speaker.AddPeerAsync(ToOptions(config, import)).ConfigureAwait(false);
                }
                else if (current.Config != config || !current.Import.Equals(import))
                {
                    await speaker.UpdatePeerAsync(ToOptions(config, import)).ConfigureAwait(false);
                }
                _peers = _peers.SetItem(address, (config, import));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or System.Net.Sockets.SocketException)
            {
                (refused ??= []).Add($"peer {address} ({config.Source}): {e.Message}");
            }
        }
        _bfd.Sync(peers.Where(p => _peers.ContainsKey(p.Address)));
        if (refused is not null)
        {
            throw new InvalidOperationException(string.Join("; ", refused));
        }
    }

    // Each speaker starts without it: the host, which knows the drain, sets it again after a restart.
    public async Task SetGracefulShutdownAsync(bool on, CancellationToken cancellationToken)
    {
        await Speaker().SetGracefulShutdownAsync(on).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken)
    {
        var speaker = Speaker();
        foreach (var gone in _originated.Where(p => !prefixes.Contains(p)).ToList())
        {
            await speaker.WithdrawAsync(gone).ConfigureAwait(false);
            _originated.Remove(gone);
        }
        foreach (var prefix in prefixes.Where(p => !_originated.Contains(p)))
        {
            await speaker.OriginateAsync(prefix).ConfigureAwait(false);
            _originated.Add(prefix);
        }
    }

    public async Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken)
    {
        var statuses = await Speaker().GetPeersAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var peers = _peers;
        var bfd = _bfd.Sessions().ToDictionary(s => s.Peer);
        var result = new List<BgpPeerStatus>(statuses.Count);
        foreach (var status in statuses)
        {
            if (!peers.TryGetValue(status.Address, out var configured))
            {
                continue;
            }
            result.Add(new BgpPeerStatus(
                configured.Config,
                ToState(status.State),
                status.Since,
                status.LastError,
                status.PrefixesReceived,
                status.PrefixesIn,
                status.PrefixesOut,
                status.Flaps,
                status.UpdatesIn,
                status.UpdatesOut,
                bfd.GetValueOrDefault(status.Address),
                status.ImportRejected));
        }
        return result;
    }

    public async Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken)
    {
        var entries = await Speaker().GetRoutesAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return entries
            .Select(e => new BgpRibEntry(e.Prefix, e.NextHops, e.AsPath, e.Reason.ToString(), e.Peer, e.IsLocal))
            .ToList();
    }

    public async Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken)
    {
        if (!_peers.ContainsKey(peer))
        {
            return PeerCommandResult.NotConfigured;
        }
        await Speaker().ResetPeerAsync(peer).WaitAsync(cancellationToken).ConfigureAwait(false);
        return PeerCommandResult.Done;
    }

    public async Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken)
    {
        if (!_peers.ContainsKey(peer))
        {
            return PeerCommandResult.NotConfigured;
        }
        return await Speaker().RequestRouteRefreshAsync(peer).WaitAsync(cancellationToken).ConfigureAwait(false)
            ? PeerCommandResult.Done
            : PeerCommandResult.NotEstablished;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_speaker is null)
        {
            return;
        }
        // Withdraw first so peers drop our prefixes at once, then Cease / Administrative Shutdown.
        await SetAdvertisementsAsync([], cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async Task StopForRestartAsync(CancellationToken cancellationToken)
    {
        // BFD first, each peer told AdministrativelyDown: a planned stop, which its BFD client
        // must not take for a path failure (RFC 5882 §3.2), so graceful restart keeps our routes.
        _bfd.Dispose();
        if (_speaker is { } speaker)
        {
            _speaker = null;
            await speaker.CloseForRestartAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bfd.Dispose();
        if (_speaker is { } speaker)
        {
            _speaker = null;
            await speaker.DisposeAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(RoutedNet.BgpSpeaker.BgpSpeaker speaker)
    {
        await foreach (var changes in speaker.BestRouteChanges.ReadAllAsync().ConfigureAwait(false))
        {
            var routes = new BestRoute[changes.Count];
            for (var i = 0; i < routes.Length; i++)
            {
                var change = changes[i];
                routes[i] = new BestRoute(change.Prefix, change.Kind == RouteChangeKind.Withdraw ? [] : change.NextHops);
            }
            _best.Writer.TryWrite(routes);
            Interlocked.Increment(ref _bestWritten);
        }
    }

    /// <summary>
    /// ADD-PATH (RFC 7911) offered to a peer. A route reflector sends every path to every peer, so
    /// a router behind it keeps ECMP. Every node receives from routers (a ToR that reflects the
    /// racks' routes with add-path send gives it each next hop of a prefix), as router OSes such as
    /// FRR do by default; not from other nodes: theirs are pod blocks of one owner and Service
    /// routes every node answers locally, so several paths would gain nothing, and a reflector
    /// sending them would keep a table per client instead of one per export group.
    /// </summary>
    private RoutedNet.BgpSpeaker.Wire.AddPathMode AddPathsFor(BgpPeerConfig peer) =>
        (_local!.RouteReflectorClusterId is not null ? RoutedNet.BgpSpeaker.Wire.AddPathMode.Send : RoutedNet.BgpSpeaker.Wire.AddPathMode.None)
        | (peer.IsNode ? RoutedNet.BgpSpeaker.Wire.AddPathMode.None : RoutedNet.BgpSpeaker.Wire.AddPathMode.Receive);

    private BgpPeerOptions ToOptions(BgpPeerConfig peer, BgpImport import)
    {
        var addresses = _local!.Addresses;
        var policy = peer.EffectivePolicy;
        var options = new BgpPeerOptions
        {
            Address = peer.Address,
            RemoteAs = peer.AsNumber,
            RemotePort = peer.Port,
            LocalAs = policy.LocalAsNumber,
            TtlSecurityHops = policy.TtlSecurity,
            // Every session multihop, as Calico's BIRD template has it (`multihop;` on all peers):
            // an eBGP peer on a ToR's loopback, a router away, comes up. GTSM, when set, sends 255 instead.
            MultihopTtl = CalicoMultihopTtl,
            // sourceAddress None: the kernel picks the source, and the next hop is the address it picked.
            // An explicit one is bound as given: a node without it fails to connect and says so, never falls back.
            LocalAddress = policy.SourceAddress
                ?? (policy.UseNodeIP ? addresses.FirstOrDefault(a => a.AddressFamily == peer.Address.AddressFamily) : null),
            NextHopOtherFamily = addresses.FirstOrDefault(a => a.AddressFamily != peer.Address.AddressFamily),
            Passive = peer.Passive,
            Password = peer.Password,
            KeepaliveTime = peer.KeepaliveTime,
            RouteReflectorClient = peer.RouteReflectorClient,
            AddPaths = AddPathsFor(peer),
            Import = ToPolicy(peer, import, reflects: _local.RouteReflectorClusterId is not null && peer.RouteReflectorClient),
            Export = new ExportPolicy
            {
                Originated = true,
                Learned = _local.RouteReflectorClusterId is not null,
                Rules = SpeakerPolicy.Rules(policy, export: true),
                NextHopMode = SpeakerPolicy.NextHop(policy.NextHopMode),
                LocalPreference = policy.LocalPref,
                AsPathPrepend = policy.AsPathPrepend,
                PrefixCommunities = SpeakerPolicy.Communities(policy),
            },
            Description = peer.Source,
        };
        // Without a holdTime on the resource the speaker's default stands.
        return peer.HoldTime is { } hold ? options with { HoldTime = hold } : options;
    }

    /// <summary>
    /// <see cref="BgpImport"/> in the speaker's terms: a range matches its prefix and everything
    /// inside. Service ranges are refused, but a route reflector passes its clients' on.
    /// </summary>
    private static ImportPolicy ToPolicy(BgpPeerConfig peer, BgpImport import, bool reflects) => new()
    {
        Allowed = peer.Type == PeerType.Mesh ? import.Pools.Select(p => new PrefixRange(p)).ToList() : ImportPolicy.AcceptAll.Allowed,
        Refused = import.NodeOwned.Concat(import.ServiceRanges).Distinct().Select(p => new PrefixRange(p)).ToList(),
        PassOnOnly = reflects ? import.ServiceRanges.Select(p => new PrefixRange(p)).ToList() : [],
        MaxPrefixes = peer.MaxPrefixes,
        Rules = SpeakerPolicy.Rules(peer.EffectivePolicy, export: false),
        AllowedLocalAsOccurrences = peer.EffectivePolicy.AllowedLocalAsNumbers,
    };

    private RoutedNet.BgpSpeaker.BgpSpeaker Speaker() =>
        _speaker ?? throw new InvalidOperationException("the BGP speaker is not running");

    private static PeerState ToState(SpeakerState state) => state switch
    {
        SpeakerState.Idle => PeerState.Idle,
        SpeakerState.Connect => PeerState.Connect,
        SpeakerState.Active => PeerState.Active,
        SpeakerState.OpenSent => PeerState.OpenSent,
        SpeakerState.OpenConfirm => PeerState.OpenConfirm,
        _ => PeerState.Established,
    };
}
