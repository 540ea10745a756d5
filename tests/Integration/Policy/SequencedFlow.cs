using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// One UDP flow from a pod to a pod that knows exactly which of its datagrams arrived: the sender
/// socket lives in the source pod's namespace (one source port for the whole run, so the node sees
/// one conntrack entry), the receiver socket in the destination pod's, and every datagram carries
/// its sequence number. Without <c>echo</c> the receiver never answers: conntrack never sees a
/// reply, so every datagram is a "new" packet that the node's policy judges afresh (a glitch in
/// the table shows as a lost or a leaked sequence number). With <c>echo</c> the receiver sends
/// each datagram back: the flow is established, passes the forward chain's established accept,
/// and only a conntrack revoke stops it. An echo delay keeps echoes in flight across a revoke: the
/// receiver answers datagrams it took before the cut after it, as a slow server does.
/// </summary>
internal sealed class SequencedFlow : IDisposable
{
    // SOL_SOCKET / SO_RCVBUFFORCE (root may exceed rmem_max): a receiver the scheduler stalls for a
    // moment must not lose datagrams in its own buffer, or the count would blame the policy.
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;
    private const int ReceiveBuffer = 8 << 20;

    private readonly Socket _sender;
    private readonly Socket _receiver;
    private readonly IPEndPoint _target;
    private readonly NetNs _destination;
    private readonly bool _echo;
    private readonly Thread _receiving;
    private readonly Thread? _echoes;
    private readonly TimeSpan _echoDelay;
    private readonly System.Collections.Concurrent.BlockingCollection<(long Due, byte[] Datagram, EndPoint To)>? _delayedEchoes;
    private readonly Thread? _echoing;
    private readonly Lock _lock = new();
    private readonly HashSet<long> _received = [];
    private readonly List<string> _sendErrors = [];
    private readonly byte[] _datagram = new byte[16];
    private long _echoCount;
    private volatile bool _closing;

    private SequencedFlow(string name, NetNs source, NetNs destination, string address, bool echo, TimeSpan echoDelay)
    {
        Name = name;
        _destination = destination;
        _echo = echo;
        _echoDelay = echoDelay;
        _sender = NetworkNamespace.Run(source.Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _receiver = NetworkNamespace.Run(destination.Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _receiver.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(ReceiveBuffer));
        _sender.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(ReceiveBuffer));
        // Blocked receives wake up twice a second to notice Dispose.
        _receiver.ReceiveTimeout = 500;
        _sender.ReceiveTimeout = 500;
        _receiver.Bind(new IPEndPoint(IPAddress.Any, 0));
        _sender.Bind(new IPEndPoint(IPAddress.Any, 0));
        _target = new IPEndPoint(IPAddress.Parse(address), ((IPEndPoint)_receiver.LocalEndPoint!).Port);
        _receiving = new Thread(Receive) { IsBackground = true, Name = $"flow {name} receiver" };
        _receiving.Start();
        if (echo)
        {
            _echoes = new Thread(CountEchoes) { IsBackground = true, Name = $"flow {name} echoes" };
            _echoes.Start();
        }
        if (echo && echoDelay > TimeSpan.Zero)
        {
            _delayedEchoes = [];
            _echoing = new Thread(SendDelayedEchoes) { IsBackground = true, Name = $"flow {name} delayed echoes" };
            _echoing.Start();
        }
    }

    public string Name { get; }

    /// <summary>The receiver's port (the flow's destination port).</summary>
    public int Port => _target.Port;

    /// <summary>Datagrams the receiver sent back that reached the sender (echo flows).</summary>
    public long Echoes => Interlocked.Read(ref _echoCount);

    /// <summary>A flow from <paramref name="source"/> to the pod <paramref name="destination"/> at <paramref name="address"/>.</summary>
    public static SequencedFlow Open(string name, NetNs source, NetNs destination, string address, bool echo = false, TimeSpan echoDelay = default) =>
        new(name, source, destination, address, echo, echoDelay);

    /// <summary>Sends datagram <paramref name="sequence"/> (from the traffic's one sending thread).</summary>
    public void Send(long sequence)
    {
        BinaryPrimitives.WriteInt64BigEndian(_datagram, sequence);
        try
        {
            _sender.SendTo(_datagram, _target);
        }
        catch (SocketException e)
        {
            lock (_lock)
            {
                _sendErrors.Add(string.Create(CultureInfo.InvariantCulture, $"#{sequence}: {e.SocketErrorCode}"));
            }
        }
    }

    /// <summary>How many of the datagrams numbered [<paramref name="from"/>, <paramref name="to"/>) arrived.</summary>
    public int ReceivedIn(long from, long to)
    {
        lock (_lock)
        {
            return _received.Count(s => s >= from && s < to);
        }
    }

    /// <summary>The sequence numbers in [<paramref name="from"/>, <paramref name="to"/>) that did not arrive.</summary>
    public List<long> MissingIn(long from, long to)
    {
        lock (_lock)
        {
            var missing = new List<long>();
            for (var s = from; s < to; s++)
            {
                if (!_received.Contains(s))
                {
                    missing.Add(s);
                }
            }
            return missing;
        }
    }

    /// <summary>The sequence numbers in [<paramref name="from"/>, <paramref name="to"/>) that arrived, as ranges.</summary>
    public string DescribeReceivedIn(long from, long to)
    {
        lock (_lock)
        {
            return Ranges(_received.Where(s => s >= from && s < to).Order().ToList());
        }
    }

    /// <summary>What explains a count: send errors, and the destination namespace's UDP receive-buffer errors (not the policy's doing).</summary>
    public string Diagnostics()
    {
        string errors;
        lock (_lock)
        {
            errors = _sendErrors.Count == 0 ? "none" : string.Join(", ", _sendErrors.Take(10));
        }
        var snmp = _destination.Exec("cat", "/proc/net/snmp").Stdout.Split('\n').Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        return $"flow {Name} to port {Port}: send errors {errors}; destination {string.Join(" / ", snmp)}";
    }

    /// <summary>"3-7 (5), 12 (1)": sequence numbers as runs, for a failure message.</summary>
    public static string Ranges(IReadOnlyList<long> sorted)
    {
        if (sorted.Count == 0)
        {
            return "none";
        }
        var runs = new List<string>();
        var start = sorted[0];
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i == sorted.Count || sorted[i] != sorted[i - 1] + 1)
            {
                var end = sorted[i - 1];
                runs.Add(string.Create(CultureInfo.InvariantCulture, $"{start}-{end} ({end - start + 1})"));
                if (i < sorted.Count)
                {
                    start = sorted[i];
                }
            }
        }
        return runs.Count <= 20 ? string.Join(", ", runs) : string.Join(", ", runs.Take(20)) + $", … ({runs.Count} runs)";
    }

    private void Receive()
    {
        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_closing)
        {
            int read;
            try
            {
                read = _receiver.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (read != _datagram.Length)
            {
                continue;
            }
            var sequence = BinaryPrimitives.ReadInt64BigEndian(buffer);
            lock (_lock)
            {
                _received.Add(sequence);
            }
            if (_delayedEchoes is not null)
            {
                _delayedEchoes.Add((Environment.TickCount64 + (long)_echoDelay.TotalMilliseconds, buffer[..read], from));
            }
            else if (_echo)
            {
                try
                {
                    _receiver.SendTo(buffer.AsSpan(0, read), SocketFlags.None, from);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // An echo that cannot leave is a lost reply: the flow's count is the receiver's.
                }
            }
        }
    }

    private void SendDelayedEchoes()
    {
        foreach (var (due, datagram, to) in _delayedEchoes!.GetConsumingEnumerable())
        {
            var wait = due - Environment.TickCount64;
            if (wait > 0)
            {
                Thread.Sleep((int)wait);
            }
            try
            {
                _receiver.SendTo(datagram, SocketFlags.None, to);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // As above: a lost reply.
            }
        }
    }

    private void CountEchoes()
    {
        var buffer = new byte[64];
        while (!_closing)
        {
            try
            {
                _sender.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _echoCount);
        }
    }

    public void Dispose()
    {
        _closing = true;
        // Shutting the sockets down wakes the blocked receives.
        _receiver.Dispose();
        _sender.Dispose();
        _receiving.Join(TimeSpan.FromSeconds(5));
        _echoes?.Join(TimeSpan.FromSeconds(5));
        // After the receiver stopped adding: the delayed echoes end with their queue.
        _delayedEchoes?.CompleteAdding();
        _echoing?.Join(TimeSpan.FromSeconds(5));
        _delayedEchoes?.Dispose();
    }
}
