using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Transport;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// A BGP-4 speaker for the node agent. One loop owns every RIB and all peer bookkeeping; API calls
/// and session callbacks are queued to it as work items (no locks on the RIB). Sessions run their
/// own state machines and hand the loop their messages; the loop hands them encoded UPDATEs.
/// </summary>
public sealed partial class BgpSpeaker : IAsyncDisposable
{
    private const int WorkBeforeFlush = 512;

    /// <summary>Single-prefix UPDATEs kept encoded (<see cref="EncodedOnce"/>); past this many they are forgotten at the end of a round.</summary>
    private const int EncodedOnceLimit = 65536;

    /// <summary>
    /// Also flush once this many prefixes changed: a full table arriving in large UPDATEs then
    /// streams on to the peers while it is still being read, instead of after hundreds of
    /// thousands of prefixes, and the pending sets stay small. Still thousands of prefixes per
    /// flush, so outgoing UPDATEs stay full. (While deferring nothing is flushed, so the count does not apply.)
    /// </summary>
    private const int DirtyBeforeFlush = 8192;

    /// <summary>
    /// Kernel changes per batch handed to the node agent: a flush's 8,192 would be lists and arrays
    /// of 0.25-0.5 MB at each step on the way to netlink, on the large-object heap, which only a full
    /// collection frees (a million routes make ~120 such lists at each step); 1,024 stay below its
    /// 85,000-byte threshold and die young.
    /// </summary>
    private const int KernelChangesPerBatch = 1024;
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<IReadOnlyList<BestRouteChange>> _changes = Channel.CreateUnbounded<IReadOnlyList<BestRouteChange>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BgpGlobalOptions _global;
    private readonly IBgpTransport _transport;
    private readonly ConnectPacer _connectPacer;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<IPAddress, PeerState> _peers = [];
    private readonly LocRib _rib;
    private readonly AttributeInterner _interner = new();
    private readonly ExportRules _exportRules;
    private readonly SharedExports _sharedExports;
    private readonly Dictionary<(PathAttributes, RibPrefix, BgpCodecContext), (byte[] Bytes, int Messages)> _encodedOnce = [];
    private readonly HashSet<RibPrefix> _originated = [];
    private readonly HashSet<RibPrefix> _dirty = [];

    /// <summary>Prefixes whose candidates changed while their decision did not: only ADD-PATH peers hear of them.</summary>
    private readonly HashSet<RibPrefix> _pathsDirty = [];
    private uint _nextPathId = PathSource.LocalPathId + 1;
    private readonly List<IBgpListener> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly uint _localId;
    private readonly uint _clusterId;
    private Task _loop = Task.CompletedTask;
    private ITimer? _deferralTimer;
    private bool _deferring;
    private long _changeBatches;
    private long _selectedAfter = -1;

    public BgpSpeaker(BgpGlobalOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IBgpTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RouterId.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || options.RouterId.Equals(IPAddress.Any))
        {
            throw new ArgumentException("the router id must be a non-zero IPv4 address (RFC 4271 §4.2)", nameof(options));
        }
        _global = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("RoutedNet.BgpSpeaker");
        _time = timeProvider ?? TimeProvider.System;
        _transport = transport ?? new TcpTransport();
        _connectPacer = new ConnectPacer(ConnectPacer.DefaultSlots, ConnectPacer.DefaultMaxHold, _time);
        _localId = BinaryPrimitives.ReadUInt32BigEndian(options.RouterId.GetAddressBytes());
        _clusterId = options.ClusterId is { } cluster ? BinaryPrimitives.ReadUInt32BigEndian(cluster.GetAddressBytes()) : _localId;
        _rib = new LocRib(new BestPathSelector(options.MaxPaths));
        _exportRules = new ExportRules(_clusterId, options.DefaultLocalPreference);
        _sharedExports = new SharedExports(_exportRules);
    }

    /// <summary>Changes of learned best routes, for the node agent to program into the kernel. One reader.</summary>
    public ChannelReader<IReadOnlyList<BestRouteChange>> BestRouteChanges => _changes.Reader;

    /// <summary>
    /// Null while route selection is deferred after a restart (RFC 4724 4.1: until every peer has
    /// sent End-of-RIB, or the deferral time ends); then how many batches of
    /// <see cref="BestRouteChanges"/> were written by the time every route learned meanwhile had
    /// been selected and written. A reader that has taken that many holds the re-learned table, so
    /// routes that are still unexplained after it are stale (the node agent's sweep waits for it).
    /// 0 at once for a speaker that was not restarting.
    /// </summary>
    public long? RoutesSelectedAfter => Volatile.Read(ref _selectedAfter) is var n && n >= 0 ? n : null;

    public BgpGlobalOptions Options => _global;

    /// <summary>Starts the loop and the listeners. Listening failures (port in use, no permission) throw.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_global.ListenPort is { } port)
        {
            IReadOnlyList<IPAddress> addresses = _global.ListenAddresses.Count > 0 ? _global.ListenAddresses : [IPAddress.Any, IPAddress.IPv6Any];
            foreach (var address in addresses)
            {
                var listener = _transport.Listen(new IPEndPoint(address, port));
                _listeners.Add(listener);
                _ = Task.Run(() => AcceptLoopAsync(listener));
            }
        }
        if (_global.GracefulRestart is { Enabled: true, Restarting: true } gr)
        {
            _deferring = true;
            _deferralTimer = _time.CreateTimer(_ => Post(() => EndDeferral("the selection deferral timer expired")), null, gr.SelectionDeferralTime, Timeout.InfiniteTimeSpan);
        }
        _loop = Task.Run(LoopAsync, cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>Adds a peer and starts its session; other sessions are not touched.</summary>
    public Task AddPeerAsync(BgpPeerOptions peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Run(() => AddPeer(peer));
    }

    /// <summary>Changes a peer. Policy-only changes apply in place (and ask the peer for a route refresh); anything else restarts that one session.</summary>
    public Task UpdatePeerAsync(BgpPeerOptions peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Run(() => UpdatePeer(peer));
    }

    /// <summary>Stops a peer with Cease/Peer De-configured and forgets its routes.</summary>
    public Task RemovePeerAsync(IPAddress address) => RunAsync(() => RemovePeerAsyncCore(address));

    /// <summary>Announces a prefix of ours (a node's block) to every peer whose export policy allows it, with ourselves as next hop.</summary>
    public Task OriginateAsync(IPNetwork network) => Run(() =>
    {
        var prefix = RibPrefix.FromIPNetwork(network);
        if (_originated.Add(prefix))
        {
            SetPath(prefix, new RoutePath(PathSource.Local, _interner.Acquire(new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.Empty,
                LocalPref = _global.DefaultLocalPreference,
            })));
        }
    });

    public Task WithdrawAsync(IPNetwork network) => Run(() =>
    {
        var prefix = RibPrefix.FromIPNetwork(network);
        if (_originated.Remove(prefix))
        {
            var path = _rib.Candidates(prefix).FirstOrDefault(p => p.Source.IsLocal);
            if (path is not null)
            {
                _interner.Release(path.Attributes);
                RemovePath(prefix, PathSource.Local);
            }
        }
    });

    /// <summary>
    /// The operator's "clear neighbor": ends the session (Cease/Administrative Reset) if it is up and
    /// starts it again; also the way out of a max-prefix hold-down.
    /// </summary>
    public Task ResetPeerAsync(IPAddress address) => Run(() =>
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            throw new InvalidOperationException($"peer {address} does not exist");
        }
        peer.Session.Post(new SessionEvent.Stop(CeaseSubcode.AdministrativeReset, Restart: true));
    });

    /// <summary>
    /// BFD declared the path to the peer down: the session ends at once with Cease/BFD Down (RFC
    /// 9384), its routes with it (no graceful-restart helper: the peer is gone, not restarting),
    /// and is started again, so it comes back when the path does. A session that had already
    /// closed (the peer crashed: its TCP went first, BFD 300 ms later) left its routes stale for
    /// a restart: they go now too, as the restart timer would have taken them.
    /// </summary>
    public Task PathDownAsync(IPAddress address) => Run(() =>
    {
        if (_peers.TryGetValue(address, out var peer))
        {
            if (!peer.IsEstablished && peer.StaleCount > 0)
            {
                Sweep(peer, family: null);
            }
            peer.Session.Post(new SessionEvent.Stop(CeaseSubcode.BfdDown, Restart: true));
        }
    });

    /// <summary>
    /// Asks the peer to send its routes again (RFC 2918), for every family of the session; false when
    /// there is no such peer, its session is not Established or it did not offer route refresh.
    /// </summary>
    public Task<bool> RequestRouteRefreshAsync(IPAddress address) => Query(() =>
    {
        if (!_peers.TryGetValue(address, out var peer) || peer.Negotiated is not { RouteRefresh: true } negotiated || !peer.IsEstablished)
        {
            return false;
        }
        foreach (var family in negotiated.Families)
        {
            peer.Session.SendRouteRefresh(family);
        }
        return true;
    });

    public Task<IReadOnlyList<PeerStatus>> GetPeersAsync() => Query<IReadOnlyList<PeerStatus>>(() => [.. _peers.Values.Select(Status)]);

    public Task<IReadOnlyList<RibEntry>> GetRoutesAsync() => Query<IReadOnlyList<RibEntry>>(() =>
        [.. _rib.AllBest().Select(pair => Entry(pair.Key, pair.Value, _rib.Candidates(pair.Key).Count))]);

    /// <summary>Stops the speaker: every session ends with Cease / Administrative Shutdown, so peers drop our routes at once.</summary>
    public ValueTask DisposeAsync() => StopAsync(notify: true);

    /// <summary>
    /// Stops the speaker for a restart (an upgrade, a new pod): sessions close without a
    /// NOTIFICATION and nothing is withdrawn first, so peers that negotiated graceful restart keep
    /// our routes as stale (RFC 4724 §4.2) until the next speaker, started with
    /// <see cref="GracefulRestartOptions.Restarting"/>, has announced them again.
    /// </summary>
    public ValueTask CloseForRestartAsync() => StopAsync(notify: false);

    private async ValueTask StopAsync(bool notify)
    {
        var stopped = new List<Task>();
        await Run(() =>
        {
            foreach (var peer in _peers.Values)
            {
                stopped.Add(peer.Session.CloseAsync(notify).AsTask());
            }
        }).ConfigureAwait(false);
        await Task.WhenAll(stopped).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _deferralTimer?.Dispose();
        _changes.Writer.TryComplete();
        _stopping.Dispose();
    }

    private void Post(Action work) => _work.Writer.TryWrite(work);

    private Task Run(Action work) => Query(() =>
    {
        work();
        return true;
    });

    private Task<T> Query<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(() =>
        {
            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // handed to the caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        }))
        {
            done.SetException(new ObjectDisposedException(nameof(BgpSpeaker)));
        }
        return done.Task;
    }

    private Task RunAsync(Func<Task> work)
    {
        var inner = Query(work);
        return inner.Unwrap();
    }

    private async Task LoopAsync()
    {
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var done = 0;
            while (done++ < WorkBeforeFlush && (_deferring || _dirty.Count < DirtyBeforeFlush) && reader.TryRead(out var work))
            {
                try
                {
                    work();
                }
#pragma warning disable CA1031 // one failed work item must not stop the speaker
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogLoopError(e);
                }
            }
            Flush();
            if (_encodedOnce.Count > EncodedOnceLimit)
            {
                _encodedOnce.Clear();
            }
            foreach (var group in _groups.Values)
            {
                group.EndRound();
            }
            if (!_deferring && _selectedAfter < 0)
            {
                // After the flush that follows the deferral's end: its batches are counted.
                Volatile.Write(ref _selectedAfter, _changeBatches);
            }
            // While a full table streams in, WaitToReadAsync completes at once and this loop would
            // keep its pool thread for the whole burst. With one CPU the pool starts with one
            // thread, so the node agent's pumps and route reconciler (pool work too) would wait for
            // the pool to inject another: let them run between flushes.
            await Task.Yield();
        }
    }

    private async Task AcceptLoopAsync(IBgpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TransportConnection connection;
            try
            {
                connection = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (System.Net.Sockets.SocketException e)
            {
                LogListenFailed(e.Message);
                continue;
            }
            Post(() =>
            {
                if (_peers.TryGetValue(connection.Remote.Address, out var peer))
                {
                    if (!listener.ApplyTtl(connection, peer.Session.OutgoingTtl(), peer.Session.MinimumTtl()))
                    {
                        LogTtlSecurityRefused(connection.Remote.ToString(), connection.ArrivalTtl ?? 0, peer.Session.MinimumTtl() ?? 0);
                        _ = connection.DisposeAsync().AsTask();
                        return;
                    }
                    peer.Session.Accept(connection);
                }
                else
                {
                    LogUnknownPeer(connection.Remote.ToString());
                    _ = connection.DisposeAsync().AsTask();
                }
            });
        }
    }

    private static RibEntry Entry(RibPrefix prefix, BestPathResult best, int candidates)
    {
        var attributes = best.Best.Attributes;
        return new RibEntry(
            prefix.ToIPNetwork(),
            [.. best.Multipath.Select(p => p.Attributes.NextHop).OfType<IPAddress>()],
            best.Best.Source.IsLocal ? null : best.Best.Source.PeerAddress,
            best.Best.Source.IsLocal,
            best.Best.IsStale,
            best.Reason,
            [.. attributes.AsPath?.Segments.SelectMany(s => s.Asns) ?? []],
            attributes.LocalPref,
            attributes.Communities,
            candidates);
    }
}
