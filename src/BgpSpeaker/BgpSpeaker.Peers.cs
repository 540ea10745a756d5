using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>Peer lifecycle on the loop: configuration, sessions coming up and going down, graceful restart.</summary>
public sealed partial class BgpSpeaker : ISessionOwner
{
    private void AddPeer(BgpPeerOptions options)
    {
        if (_peers.ContainsKey(options.Address))
        {
            throw new InvalidOperationException($"peer {options.Address} already exists; use UpdatePeerAsync");
        }
        var peer = new PeerState(options, NewSession(options), _nextPathId++, _rib);
        _peers.Add(options.Address, peer);
        // A new address has no key on the listeners (removing a peer removes its key): removing
        // one that is not there fails in the kernel, an exception per peer (1,000 at a reflector's start).
        if (options.Password is not null)
        {
            SetListenerKey(peer);
        }
    }

    private PeerSession NewSession(BgpPeerOptions options) =>
        new(_global, options, this, _transport, _time, _loggerFactory.CreateLogger("RoutedNet.BgpSpeaker.Peer"), _connectPacer);

    private void UpdatePeer(BgpPeerOptions options)
    {
        if (!_peers.TryGetValue(options.Address, out var peer))
        {
            throw new InvalidOperationException($"peer {options.Address} does not exist; use AddPeerAsync");
        }
        var old = peer.Options;
        peer.Options = options;
        if (SessionSettingsEqual(old, options))
        {
            peer.Session.Options = options;
            if (old.Import != options.Import)
            {
                ApplyImportPolicy(peer);
            }
            if (peer.IsEstablished)
            {
                peer.Target = peer.Target! with { Policy = options.Export };
                if (peer.Group is not null)
                {
                    Regroup(peer);
                }
                else
                {
                    SyncPeer(peer, family: null);
                }
            }
            return;
        }
        SetListenerKey(peer);
        peer.Session.Options = options;
        peer.Session.Post(new SessionEvent.Stop(CeaseSubcode.OtherConfigurationChange, Restart: true));
    }

    // Families is a list: record equality would compare it by reference, so every new options
    // object (the node agent builds one per change) looked like a session change and reset the peer.
    private static bool SessionSettingsEqual(BgpPeerOptions a, BgpPeerOptions b) =>
        a with { Import = b.Import, Export = b.Export, Description = b.Description, Families = b.Families } == b
        && a.Families.SequenceEqual(b.Families);

    private async Task RemovePeerAsyncCore(IPAddress address)
    {
        if (!_peers.Remove(address, out var peer))
        {
            return;
        }
        peer.StopListenerKeyRetry();
        TrySetListenerPassword(address, null);
        peer.StopStaleTimer();
        LeaveGroup(peer);   // its session's end no longer reaches the loop (Find fails once it is removed)
        peer.Session.Post(new SessionEvent.Stop(CeaseSubcode.PeerDeconfigured, Restart: false));
        DropAll(peer);
        await peer.Session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the listeners the peer's TCP-MD5 key (or removes it). The kernel may refuse it (no
    /// TCP_MD5SIG support, no memory, a key too long for it): that concerns this peer only, so the
    /// peer is still added, its status says why, and the key is tried again with backoff. The
    /// peer's own outgoing connections set the key on their sockets and fail (and retry) the same way.
    /// </summary>
    private void SetListenerKey(PeerState peer)
    {
        peer.StopListenerKeyRetry();
        var error = TrySetListenerPassword(peer.Options.Address, peer.Options.Password);
        peer.ListenerKeyError = error is null ? null : $"TCP-MD5 key refused by the kernel: {error}";
        if (error is null)
        {
            peer.ListenerKeyBackoff.Reset();
            return;
        }
        var wait = peer.ListenerKeyBackoff.Next();
        LogListenerKeyRefused(peer.Session.Name, error, wait.TotalSeconds);
        peer.ListenerKeyRetry = _time.CreateTimer(
            _ => Post(() =>
            {
                if (_peers.TryGetValue(peer.Options.Address, out var current) && ReferenceEquals(current, peer))
                {
                    SetListenerKey(peer);
                }
            }),
            null,
            wait,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sets the key on every listener; the refusal's text, or null when all took it.</summary>
    private string? TrySetListenerPassword(IPAddress peer, string? password)
    {
        string? error = null;
        foreach (var listener in _listeners)
        {
            try
            {
                listener.SetPassword(peer, password);
            }
            catch (Exception e) when (e is SocketException or ArgumentException)
            {
                error ??= e.Message;
            }
        }
        return error;
    }

    private PeerState? Find(PeerSession session) =>
        _peers.TryGetValue(session.Options.Address, out var peer) && ReferenceEquals(peer.Session, session) ? peer : null;

    void ISessionOwner.Established(PeerSession session, Negotiated negotiated) => Post(() =>
    {
        if (Find(session) is not { } peer)
        {
            return;
        }
        LeaveGroup(peer);
        var options = peer.Options;
        var isInternal = peer.Session.IsInternal;
        peer.Negotiated = negotiated;
        peer.Codec = new BgpCodecContext(negotiated.FourOctetAs, negotiated.ExtendedMessage, !isInternal)
        {
            AddPathIpv4 = negotiated.AddPathIpv4,
            AddPathIpv6 = negotiated.AddPathIpv6,
        };
        peer.Source = new PathSource(options.Address, negotiated.RemoteAs, negotiated.RemoteRouterId, isInternal, options.RouteReflectorClient) { PathId = peer.PathId };
        var local = negotiated.Local.Address;
        peer.Target = new ExportTarget(
            peer.Session.LocalAs,
            options.Address,
            negotiated.RemoteRouterId,
            isInternal,
            options.RouteReflectorClient,
            options.Export,
            NextHopV4: local.AddressFamily == AddressFamily.InterNetwork ? local : FamilyOrNull(options.NextHopOtherFamily, AddressFamily.InterNetwork),
            NextHopV6: local.AddressFamily == AddressFamily.InterNetworkV6 ? local : FamilyOrNull(options.NextHopOtherFamily, AddressFamily.InterNetworkV6));
        peer.EndOfRibReceived.Clear();
        peer.MaxPrefixTripped = false;
        peer.LastGracefulRestart = negotiated.PeerGracefulRestart;
        peer.StopStaleTimer();
        KeepOrSweepStaleOnReturn(peer, negotiated);
        if (!SendsPathIds(peer))
        {
            JoinGroup(peer);
        }
        if (!_deferring)
        {
            if (peer.Group is not null)
            {
                SendGroupTable(peer, family: null);
            }
            else
            {
                SyncPeer(peer, family: null);
            }
            SendEndOfRib(peer);
        }
    });

    private static IPAddress? FamilyOrNull(IPAddress? address, AddressFamily family) =>
        address?.AddressFamily == family ? address : null;

    void ISessionOwner.Down(PeerSession session, bool keepRoutesStale, string reason) => Post(() =>
    {
        if (Find(session) is not { } peer)
        {
            return;
        }
        var gr = peer.LastGracefulRestart;
        LeaveGroup(peer);
        peer.Source = null;
        peer.Target = null;
        peer.Negotiated = null;
        peer.Out.Clear();
        // A peer that is down announces nothing; graceful restart keeps accepted routes, not refusals.
        peer.Filtered.Clear();
        if (!keepRoutesStale || gr is null || gr.RestartTime == 0)
        {
            DropAll(peer);
            return;
        }
        // RFC 4724 §4.2: keep the families the peer said it preserves across a restart, as stale,
        // for at most its restart time; everything else goes now.
        foreach (var family in Families.All)
        {
            if (gr.Families.Any(f => f.Family == family.ToAfiSafi()))
            {
                peer.StaleCount += peer.In.MarkStale(AddressFamilyOf(family));
            }
            else
            {
                Sweep(peer, family);
            }
        }
        var restartTime = TimeSpan.FromSeconds(gr.RestartTime);
        peer.StopStaleTimer();
        peer.StaleTimer = _time.CreateTimer(_ => Post(() =>
        {
            if (!peer.IsEstablished && _peers.ContainsKey(peer.Options.Address))
            {
                LogRestartTimerExpired(peer.Session.Name, restartTime.TotalSeconds);
                Sweep(peer, family: null);
            }
        }), null, restartTime, Timeout.InfiniteTimeSpan);
    });

    /// <summary>
    /// RFC 4724 §4.2: once the peer is back, stale routes of a family stay only if its new OPEN says
    /// forwarding was preserved for it; they then wait for End-of-RIB (bounded by the stale-path time).
    /// </summary>
    private void KeepOrSweepStaleOnReturn(PeerState peer, Negotiated negotiated)
    {
        if (peer.StaleCount == 0)
        {
            return;
        }
        var gr = negotiated.PeerGracefulRestart;
        foreach (var family in Families.All)
        {
            if (gr is null || !gr.Families.Contains(new GracefulRestartFamily(family.ToAfiSafi(), ForwardingPreserved: true)) || !negotiated.Families.Contains(family))
            {
                Sweep(peer, family);
            }
        }
        if (peer.StaleCount > 0)
        {
            peer.StaleTimer = _time.CreateTimer(_ => Post(() => Sweep(peer, family: null)), null, _global.GracefulRestart.StalePathTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void EndOfRibReceived(PeerState peer, RouteFamily family)
    {
        peer.EndOfRibReceived.Add(family);
        Sweep(peer, family);
        if (_deferring && _peers.Values.All(DoneForDeferral))
        {
            EndDeferral("every peer has sent End-of-RIB");
        }
    }

    /// <summary>RFC 4724 §4.1: wait for End-of-RIB from each peer that has graceful restart and is not restarting itself.</summary>
    private static bool DoneForDeferral(PeerState peer) =>
        peer.Negotiated is { } negotiated
        && (negotiated.PeerGracefulRestart is null or { Restarting: true }
            || negotiated.Families.All(peer.EndOfRibReceived.Contains));

    private void EndDeferral(string why)
    {
        if (!_deferring)
        {
            return;
        }
        _deferring = false;
        _deferralTimer?.Dispose();
        LogSelectionDeferralDone(why);
        foreach (var (prefix, _) in _rib.AllBest())
        {
            _dirty.Add(prefix);
        }
        // Nothing was sent while deferring: the flush of every prefix sends each peer its table
        // (a group's Adj-RIB-Out is empty until then), and End-of-RIB follows it.
        Flush();
        foreach (var peer in _peers.Values.Where(p => p.IsEstablished))
        {
            SendEndOfRib(peer);
        }
    }

    /// <summary>Withdraws the peer's stale routes of one family (null: all), after End-of-RIB or a timer.</summary>
    private void Sweep(PeerState peer, RouteFamily? family)
    {
        var stale = peer.In.StalePaths(family is { } f ? AddressFamilyOf(f) : null);
        foreach (var (prefix, pathId) in stale)
        {
            RemoveFromPeer(peer, prefix, pathId);
        }
        if (stale.Count > 0)
        {
            LogStaleSwept(peer.Session.Name, stale.Count);
        }
        if (peer.StaleCount == 0)
        {
            peer.StopStaleTimer();
        }
    }

    private void DropAll(PeerState peer)
    {
        foreach (var (prefix, path) in peer.In.Paths.ToList())
        {
            RemoveFromPeer(peer, prefix, path.PathId);
        }
        // Nothing of the peer is left for its ADD-PATH identifiers to name.
        peer.ReceivedPathIds = null;
        peer.StaleCount = 0;
        peer.StopStaleTimer();
    }

    internal static AddressFamily AddressFamilyOf(RouteFamily family) =>
        family == RouteFamily.Ipv4Unicast ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    private static RouteFamily FamilyOf(RibPrefix prefix) => Families.FamilyOf(prefix);

    private PeerStatus Status(PeerState peer)
    {
        var session = peer.Session;
        var negotiated = peer.Negotiated;
        return new PeerStatus(
            peer.Options.Address,
            session.Name,
            peer.Options.RemoteAs,
            session.State,
            session.Since,
            session.LastError ?? peer.ListenerKeyError,
            negotiated is null ? null : new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(negotiated.RemoteRouterId)),
            negotiated?.HoldTime,
            session.MessagesIn,
            session.MessagesOut,
            session.UpdatesIn,
            session.UpdatesOut,
            peer.In.Count,
            peer.Filtered.Count,
            peer.AdvertisedCount,
            peer.StaleCount,
            session.Flaps,
            peer.ImportRejected);
    }
}
