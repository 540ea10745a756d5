using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.RrClients;

/// <summary>
/// One iBGP client of the reflector: connects from its own loopback address, answers OPEN and
/// KEEPALIVE, announces its /26 once Established and records when each other client's /26 and
/// each test change arrived. A failed connection is retried after a second, like a real speaker's
/// connect-retry (counted, so the report shows them). A connection that brings no OPEN within
/// FleetOptions.OpenWait is started over: when a reflector's listen queue overflows, the kernel
/// completes the handshake with a SYN cookie but drops the final ACK, so the client holds a
/// connection the reflector never accepted (a real speaker waits out its OpenSent hold time).
/// </summary>
internal sealed class SimulatedClient(int index, Fleet fleet)
{
    private const int BufferSize = 16 * 1024;
    private readonly ulong[] _have = new ulong[(fleet.Clients + 63) / 64];
    private readonly Lock _sendLock = new();
    private Socket? _socket;
    private BgpWire.PrefixVisitor? _visitor;
    private CancellationTokenSource? _openWait;
    private bool _sessionUp;
    private int _count;

    public int Index { get; } = index;

    public long EstablishedAt { get; private set; }

    public long FullAt { get; private set; }

    public bool IsEstablished => EstablishedAt != 0;

    public async Task RunAsync(CancellationToken stopping)
    {
        var local = Addressing.ToAddress(Addressing.ClientAddress(Index));
        while (!stopping.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                var started = Stopwatch.GetTimestamp();
                await socket.ConnectAsync(fleet.Reflector, stopping).ConfigureAwait(false);
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMilliseconds(900))
                {
                    fleet.CountSlowConnect();   // a SYN dropped by a full listen queue waits for its retransmit
                }
                _socket = socket;
                Send(BgpWire.OpenMessage(fleet.Asn, Addressing.ClientAddress(Index), fleet.HoldTime));
                using var openWait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                openWait.CancelAfter(fleet.Options.OpenWait);
                _openWait = openWait;
                try
                {
                    await ReadAsync(socket, openWait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    fleet.CountOpenTimeout();
                }
                finally
                {
                    _openWait = null;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
            {
                if (_sessionUp)
                {
                    fleet.CountDrop(Index, e.Message);
                }
                else
                {
                    fleet.CountSetupFailure(Index, e.Message);
                }
            }
            _socket = null;
            _sessionUp = false;
            await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
        }
    }

    public void Send(byte[] message)
    {
        lock (_sendLock)
        {
            _socket?.Send(message);
        }
    }

    public void SendKeepalive()
    {
        if (IsEstablished)
        {
            Send(BgpWire.KeepaliveMessage);
        }
    }

    private async Task ReadAsync(Socket socket, CancellationToken stopping)
    {
        var buffer = new byte[BufferSize];
        var filled = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stopping).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the reflector closed the connection");
            }
            filled += read;
            var start = 0;
            while (filled - start >= BgpWire.HeaderLength)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(start + 16));
                if (length < BgpWire.HeaderLength || length > BufferSize)
                {
                    throw new InvalidDataException($"bad message length {length}");
                }
                if (filled - start < length)
                {
                    break;
                }
                Handle(buffer[start + 18], buffer.AsSpan(start + BgpWire.HeaderLength, length - BgpWire.HeaderLength));
                start += length;
            }
            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
        }
    }

    private void Handle(byte type, ReadOnlySpan<byte> body)
    {
        switch (type)
        {
            case BgpWire.Open:
                _openWait?.CancelAfter(Timeout.InfiniteTimeSpan);
                Send(BgpWire.KeepaliveMessage);
                break;
            case BgpWire.Keepalive when !_sessionUp:
                _sessionUp = true;
                if (IsEstablished)
                {
                    break;   // back after a drop (counted): the first Established time stands
                }
                EstablishedAt = Stopwatch.GetTimestamp();
                fleet.OnEstablished();
                Send(BgpWire.Announce(Addressing.Block(Index), Addressing.BlockLength, Addressing.NextHop(Index)));
                break;
            case BgpWire.Update:
                if (!BgpWire.ReadUpdate(body, _visitor ??= OnPrefix))
                {
                    throw new InvalidDataException("malformed UPDATE");
                }
                break;
            case BgpWire.Notification:
                throw new IOException($"NOTIFICATION {(body.Length > 0 ? body[0] : 0)}/{(body.Length > 1 ? body[1] : 0)} from the reflector");
            default:
                break;
        }
    }

    private void OnPrefix(uint prefix, int length, bool announced)
    {
        var owner = Addressing.BlockOwner(prefix, length, fleet.Clients);
        if (owner >= 0)
        {
            if (owner == Index)
            {
                return;
            }
            ref var word = ref _have[owner >> 6];
            var bit = 1UL << (owner & 63);
            if (announced && (word & bit) == 0)
            {
                word |= bit;
                if (++_count == fleet.Clients - 1)
                {
                    FullAt = Stopwatch.GetTimestamp();
                    fleet.OnFull();
                }
            }
            else if (!announced && (word & bit) != 0)
            {
                word &= ~bit;
                _count--;
            }
            return;
        }
        var change = Addressing.ChangeNumber(prefix, length, fleet.Changes);
        if (change >= 0)
        {
            fleet.OnChange(change, Index, announced);
        }
    }
}
