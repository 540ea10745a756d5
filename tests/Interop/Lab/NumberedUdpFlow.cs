using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// One direction of numbered UDP at a fixed rate (200 packets per second by default) between two
/// namespaces, with sockets opened inside each: every datagram carries its sequence number, so the
/// receiver can say exactly which ones never arrived. A dedicated thread paces the sender (no
/// thread-pool timer, which drifts under load); a second one reads. Losses before the first
/// datagram arrives (ARP, a cold route) are not counted: a flow is "running" from its first arrival.
/// To a Service VIP the flow has several receivers (one per endpoint pod, bound to the port on any
/// address, after a DNAT): a datagram counts as arrived at whichever got it, and each counts its own.
/// </summary>
public sealed class NumberedUdpFlow : IDisposable
{
    private readonly Socket _sender;
    private readonly Socket[] _receivers;
    private readonly int[] _receivedBy;
    private readonly IPEndPoint _to;
    private readonly TimeSpan _interval;
    private readonly Thread _sendThread;
    private readonly Thread[] _receiveThreads;
    private readonly Lock _lock = new();
    private readonly List<bool> _received = [];
    private volatile bool _stopping;
    private int _sent;
    private int _sendErrors;
    private long _first = -1;

    public NumberedUdpFlow(string name, string fromNamespacePath, string toNamespacePath, IPAddress to, int port, int packetsPerSecond = 200)
        : this(name, fromNamespacePath, [(toNamespacePath, to)], to, port, packetsPerSecond)
    {
    }

    /// <summary>To <paramref name="to"/>, received in each of <paramref name="receivers"/> (namespace, address to bind: any, for a DNAT's target).</summary>
    public NumberedUdpFlow(string name, string fromNamespacePath, IReadOnlyList<(string NamespacePath, IPAddress Bind)> receivers, IPAddress to, int port, int packetsPerSecond = 200)
    {
        Name = name;
        _to = new IPEndPoint(to, port);
        _interval = TimeSpan.FromSeconds(1.0 / packetsPerSecond);
        _receivers = [.. receivers.Select(r => NetworkNamespace.Run(r.NamespacePath, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
            socket.Bind(new IPEndPoint(r.Bind, port));
            return socket;
        }))];
        _receivedBy = new int[_receivers.Length];
        _sender = NetworkNamespace.Run(fromNamespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _sendThread = new Thread(Send) { IsBackground = true, Name = $"udp-send {name}" };
        _receiveThreads = [.. _receivers.Select((socket, i) => new Thread(() => Receive(socket, i)) { IsBackground = true, Name = $"udp-receive {name} {i}" })];
        foreach (var thread in _receiveThreads)
        {
            thread.Start();
        }
        _sendThread.Start();
    }

    /// <summary>Datagrams the <paramref name="receiver"/>th receiver has got so far.</summary>
    public int ReceivedBy(int receiver) => Volatile.Read(ref _receivedBy[receiver]);

    public string Name { get; }

    /// <summary>True once the first datagram has arrived.</summary>
    public bool Running => Interlocked.Read(ref _first) >= 0;

    /// <summary>Stops sending (several flows stop together, then wait once for what is in flight).</summary>
    public void StopSending()
    {
        _stopping = true;
        _sendThread.Join();
    }

    /// <summary>What arrived of what was sent; call after <see cref="StopSending"/> and a moment for datagrams in flight.</summary>
    public FlowReport Report()
    {
        lock (_lock)
        {
            var first = (int)Interlocked.Read(ref _first);
            var missing = new List<int>();
            for (var seq = Math.Max(first, 0); seq < _sent; seq++)
            {
                if (seq >= _received.Count || !_received[seq])
                {
                    missing.Add(seq);
                }
            }
            return new FlowReport(Name, _sent, first, first < 0 ? 0 : _sent - first - missing.Count, missing, _sendErrors);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _sendThread.Join();
        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
        }
        foreach (var thread in _receiveThreads)
        {
            thread.Join();
        }
        _sender.Dispose();
    }

    private void Send()
    {
        var payload = new byte[8];
        var clock = Stopwatch.StartNew();
        for (var seq = 0; !_stopping; seq++)
        {
            var due = _interval * seq;
            while (clock.Elapsed < due)
            {
                Thread.Sleep(1);
            }
            BinaryPrimitives.WriteInt32BigEndian(payload, seq);
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), Name.GetHashCode(StringComparison.Ordinal));
            try
            {
                _sender.SendTo(payload, _to);
            }
            catch (SocketException)
            {
                // No route (or an ICMP error from an earlier datagram): this one is lost, and counted as such.
                Interlocked.Increment(ref _sendErrors);
            }
            Interlocked.Exchange(ref _sent, seq + 1);
        }
    }

    private void Receive(Socket receiver, int index)
    {
        var buffer = new byte[64];
        while (true)
        {
            int read;
            try
            {
                read = receiver.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (read != 8 || BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4)) != Name.GetHashCode(StringComparison.Ordinal))
            {
                continue;
            }
            var seq = BinaryPrimitives.ReadInt32BigEndian(buffer);
            Interlocked.Increment(ref _receivedBy[index]);
            lock (_lock)
            {
                while (_received.Count <= seq)
                {
                    _received.Add(false);
                }
                _received[seq] = true;
                if (_first < 0)
                {
                    Interlocked.Exchange(ref _first, seq);
                }
            }
        }
    }
}
