using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// Runs single-hop (RFC 5881) and multihop (RFC 5883) BFD sessions with the <see cref="BfdSession"/>
/// state machine. Two kinds of dedicated threads, never the thread pool, so that a busy pool cannot
/// delay a packet or a detection: one receiving per address family and kind (port 3784 with TTL 255
/// required; port 4784 with the lowest minimum TTL of the multihop sessions of that family, as one
/// socket serves them all), and one for the timers,
/// which sends each session's periodic packets and declares paths down at their deadlines. A
/// change of state is reported to the session's callback on one of those threads: it must not
/// block. Removing a session first tells the peer AdministrativelyDown, which a BFD client takes
/// as "not a failure" (RFC 5882 §3.2), so a planned stop never tears the peer's BGP down.
/// </summary>
public sealed class BfdService : IDisposable
{
    private readonly Func<Func<Socket>, Socket> _socketScope;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, Entry> _byDiscriminator = [];
    private readonly Dictionary<IPAddress, Entry> _byPeer = [];
    private readonly Dictionary<(AddressFamily Family, bool Multihop), Socket> _listeners = [];
    private readonly AutoResetEvent _wake = new(false);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Thread _timers;
    private volatile bool _disposed;
    private long _discarded;

    /// <param name="socketScope">Opens each socket (a network namespace's scope in tests); by default where the caller runs.</param>
    public BfdService(Func<Func<Socket>, Socket>? socketScope = null)
    {
        _socketScope = socketScope ?? (open => open());
        _timers = new Thread(RunTimers) { IsBackground = true, Name = "bfd-timers", Priority = ThreadPriority.AboveNormal };
        _timers.Start();
    }

    /// <summary>Received packets that RFC 5880 §6.8.6 discards (malformed, or for no session of ours).</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    private TimeSpan Now => Stopwatch.GetElapsedTime(_started);

    /// <summary>Starts a session with <paramref name="peer"/>; <paramref name="changed"/> hears every change of its state.</summary>
    public void Add(BfdPeer peer, Action<BfdTransition> changed)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(changed);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (_byPeer.ContainsKey(peer.Peer))
            {
                throw new InvalidOperationException($"a BFD session with {peer.Peer} exists already");
            }
            EnsureListener(peer.Peer.AddressFamily, peer.Multihop);
            uint discriminator;
            do
            {
                discriminator = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
            }
            while (_byDiscriminator.ContainsKey(discriminator));
            var sender = _socketScope(() => BfdSockets.Sender(peer.Local, peer.Peer, peer.Multihop));
            var entry = new Entry(peer, new BfdSession(discriminator, peer.Timers), sender, changed) { NextTransmit = Now };
            _byDiscriminator[discriminator] = entry;
            _byPeer[peer.Peer] = entry;
            UpdateMinimumTtl(peer.Peer.AddressFamily, peer.Multihop);
        }
        _wake.Set();
    }

    /// <summary>Ends the session with <paramref name="peer"/>, telling it AdministrativelyDown first.</summary>
    public void Remove(IPAddress peer)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_byPeer.Remove(peer, out entry))
            {
                return;
            }
            _byDiscriminator.Remove(entry.Session.LocalDiscriminator);
            entry.Session.SetAdminDown(true);
            Send(entry, final: false);
            UpdateMinimumTtl(peer.AddressFamily, entry.Peer.Multihop);
        }
        entry.Sender.Dispose();
    }

    public IReadOnlyList<BfdSessionStatus> Sessions()
    {
        lock (_gate)
        {
            return _byPeer.Values
                .Select(e => new BfdSessionStatus(e.Peer.Peer, e.Session.State, e.Session.RemoteState, e.Session.LocalDiagnostic, e.Session.LocalDiscriminator, e.Session.RemoteDiscriminator, e.Session.DetectionTime, e.Session.RemoteControlPlaneIndependent)
                {
                    Multihop = e.Peer.Multihop,
                    TransmitInterval = e.Session.TransmitInterval,
                    ReceiveInterval = e.Session.ReceiveInterval,
                    LastDownDiagnostic = e.Session.LastDownDiagnostic,
                    Ups = e.Session.Ups,
                    Downs = e.Session.Downs,
                })
                .ToList();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        foreach (var peer in Sessions().Select(s => s.Peer))
        {
            Remove(peer);
        }
        _disposed = true;
        _wake.Set();
        _timers.Join();
        lock (_gate)
        {
            foreach (var listener in _listeners.Values)
            {
                listener.Dispose();
            }
            _listeners.Clear();
        }
        _wake.Dispose();
    }

    private void EnsureListener(AddressFamily family, bool multihop)
    {
        if (_listeners.ContainsKey((family, multihop)))
        {
            return;
        }
        var listener = _socketScope(() => BfdSockets.Listener(family, multihop));
        _listeners[(family, multihop)] = listener;
        new Thread(() => RunReceiver(listener, multihop)) { IsBackground = true, Name = multihop ? "bfd-receive-multihop" : "bfd-receive", Priority = ThreadPriority.AboveNormal }.Start();
    }

    // Under _gate. The multihop listener takes the farthest any of its sessions allows (RFC 5883 §5
    // leaves the check to configuration); single hop stays at 255 whatever happens.
    private void UpdateMinimumTtl(AddressFamily family, bool multihop)
    {
        if (!multihop || !_listeners.TryGetValue((family, true), out var listener))
        {
            return;
        }
        var sessions = _byPeer.Values.Where(e => e.Peer.Multihop && e.Peer.Peer.AddressFamily == family).ToList();
        if (sessions.Count > 0)
        {
            BfdSockets.SetMinimumTtl(listener, sessions.Min(e => e.Peer.MinimumTtl));
        }
    }

    private void RunReceiver(Socket listener, bool multihop)
    {
        var buffer = new byte[512];
        EndPoint from = new IPEndPoint(listener.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_disposed)
        {
            int length;
            try
            {
                length = listener.ReceiveFrom(buffer, ref from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_disposed)
            {
                // An ICMP error reported on the socket: nothing was received, go on.
                continue;
            }
            catch (SocketException)
            {
                return;
            }
            if (!BfdControlPacket.TryParse(buffer.AsSpan(0, length), out var packet, out _))
            {
                Interlocked.Increment(ref _discarded);
                continue;
            }
            Receive(packet, ((IPEndPoint)from).Address, multihop);
        }
    }

    private void Receive(in BfdControlPacket packet, IPAddress source, bool multihop)
    {
        BfdTransition? transition = null;
        Entry? entry;
        lock (_gate)
        {
            // §6.8.6: by Your Discriminator once the peer knows it, else by where the packet came from.
            entry = packet.YourDiscriminator != 0 ? _byDiscriminator.GetValueOrDefault(packet.YourDiscriminator) : _byPeer.GetValueOrDefault(source);
            // A session is reached only through its own port: 3784 single hop, 4784 multihop (RFC 5883 §3).
            if (entry is null || !entry.Peer.Peer.Equals(source) || entry.Peer.Multihop != multihop)
            {
                Interlocked.Increment(ref _discarded);
                return;
            }
            var result = entry.Session.Receive(packet, Now);
            if (!result.Accepted)
            {
                return;
            }
            transition = result.Transition;
            if (result.SendFinal)
            {
                Send(entry, final: true);
            }
            if (transition is not null)
            {
                // A new state is told to the peer at once, not at the next periodic packet.
                entry.NextTransmit = Now;
            }
            else if (result.TransmitSooner && entry.Session.NextTransmitInterval(Random.Shared.NextDouble()) is { } interval && !(entry.NextTransmit <= Now + interval))
            {
                // §6.8.3: a shorter interval holds at once. A peer coming Up from its slow timers
                // lowers its Required Min RX and expects our packets at its new rate; the packet
                // scheduled at the old rate (up to a second away) let FRR's bfdd declare every new
                // session down 300 ms after Up, over and over (bench/bfd-detect.sh with TOR=frr).
                entry.NextTransmit = Now + interval;
            }
        }
        if (transition is { } changed)
        {
            entry.Changed(changed);
        }
        _wake.Set();
    }

    private void RunTimers()
    {
        var changes = new List<(Entry Entry, BfdTransition Transition)>();
        while (!_disposed)
        {
            var wake = TimeSpan.FromSeconds(1);
            lock (_gate)
            {
                var now = Now;
                foreach (var entry in _byPeer.Values)
                {
                    if (entry.Session.Expire(now) is { } expired)
                    {
                        changes.Add((entry, expired));
                        entry.NextTransmit = now;
                    }
                    if (entry.NextTransmit is { } due && due <= now)
                    {
                        Send(entry, final: false);
                        entry.NextTransmit = entry.Session.NextTransmitInterval(Random.Shared.NextDouble()) is { } interval ? now + interval : null;
                    }
                    wake = Min(wake, entry.NextTransmit - now);
                    wake = Min(wake, entry.Session.DetectionDeadline - now);
                }
            }
            foreach (var (entry, transition) in changes)
            {
                entry.Changed(transition);
            }
            changes.Clear();
            _wake.WaitOne(wake < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wake);
        }
    }

    // Under _gate. A send that fails (the link is down, the address gone) is a lost packet, as on the wire.
    private static void Send(Entry entry, bool final)
    {
        Span<byte> packet = stackalloc byte[BfdControlPacket.Length];
        entry.Session.ControlPacket(final).WriteTo(packet);
        try
        {
            entry.Sender.Send(packet);
        }
        catch (SocketException)
        {
        }
    }

    private static TimeSpan Min(TimeSpan current, TimeSpan? candidate) =>
        candidate is { } value && value < current ? value : current;

    private sealed class Entry(BfdPeer peer, BfdSession session, Socket sender, Action<BfdTransition> changed)
    {
        public BfdPeer Peer { get; } = peer;

        public BfdSession Session { get; } = session;

        public Socket Sender { get; } = sender;

        public Action<BfdTransition> Changed { get; } = changed;

        public TimeSpan? NextTransmit { get; set; }
    }
}
