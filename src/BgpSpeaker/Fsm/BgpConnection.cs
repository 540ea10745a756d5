using System.Buffers;
using System.Threading.Channels;
using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Transport;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>
/// One TCP connection of a session: a reader task that frames messages (checking the header before
/// waiting for the body, so a hostile length never makes us wait or allocate) and a writer task that
/// drains a queue, coalescing small messages into few large writes.
/// </summary>
internal sealed class BgpConnection : IAsyncDisposable
{
    private const int WriteBuffer = 64 * 1024;
    private readonly ChannelWriter<SessionEvent> _events;
    private readonly Channel<ArraySegment<byte>> _outbound = Channel.CreateUnbounded<ArraySegment<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cancel = new();
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private int _closed;
    private bool _started;

    public BgpConnection(TransportConnection transport, ChannelWriter<SessionEvent> events)
    {
        Transport = transport;
        _events = events;
    }

    public TransportConnection Transport { get; }

    public bool Outbound => Transport.Outbound;

    /// <summary>Largest message accepted: 4096, or 65535 once extended messages are negotiated (RFC 8654).</summary>
    public int MaxMessageLength { get; set; } = 4096;

    /// <summary>The OPEN received on this connection, once it has arrived (collision resolution compares identifiers).</summary>
    public OpenMessage? ReceivedOpen { get; set; }

    private long _messagesOut;

    /// <summary>Our connect pacing slot (<see cref="ConnectPacer"/>): freed by the peer's first message or the close.</summary>
    public IDisposable? HandshakeLease { get; init; }

    /// <summary>Messages queued so far; the speaker loop and the session both send, hence Interlocked.</summary>
    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    public void Start()
    {
        _started = true;
        _reader = Task.Run(ReadLoopAsync);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues one message, or several encoded back to back (<paramref name="messages"/> counts them).</summary>
    public void Send(byte[] bytes, int messages = 1) => Send(new ArraySegment<byte>(bytes), messages);

    /// <summary>
    /// Queues messages that lie back to back in part of an array: a reflector queues one run of
    /// UPDATEs shared by all its clients, where a thousand separate entries per client (its table
    /// on joining) cost ~30 MB of queue at 1,000 clients.
    /// </summary>
    public void Send(ArraySegment<byte> bytes, int messages)
    {
        if (_outbound.Writer.TryWrite(bytes))
        {
            Interlocked.Add(ref _messagesOut, messages);
        }
    }

    /// <summary>Sends <paramref name="notification"/> if given, flushes for a moment, and closes.</summary>
    public async Task CloseAsync(BgpNotification? notification)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        HandshakeLease?.Dispose();
        if (notification is not null)
        {
            Send(SessionCodec.Notification(notification));
            if (!_started)
            {
                // A connection refused before it ever ran (collision) still gets its NOTIFICATION.
                _writer = Task.Run(WriteLoopAsync);
            }
        }
        _outbound.Writer.TryComplete();
        await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        await _cancel.CancelAsync().ConfigureAwait(false);
        await Transport.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(null).ConfigureAwait(false);
        _cancel.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var stream = Transport.Stream;
        var header = new byte[SessionCodec.HeaderLength];
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(stream, header).ConfigureAwait(false))
                {
                    HandshakeLease?.Dispose();
                    Closed(null, "the peer closed the connection");
                    return;
                }
                if (!SessionCodec.TryCheckHeader(header, MaxMessageLength, out var type, out var length, out var error))
                {
                    Closed(error, error!.ToString());
                    return;
                }
                var body = length == SessionCodec.HeaderLength ? [] : new byte[length - SessionCodec.HeaderLength];
                if (body.Length > 0 && !await ReadExactlyAsync(stream, body).ConfigureAwait(false))
                {
                    Closed(null, "the peer closed the connection in the middle of a message");
                    return;
                }
                HandshakeLease?.Dispose();
                _events.TryWrite(new SessionEvent.MessageReceived(this, type, body));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            Closed(null, $"connection lost: {e.Message}");
        }
    }

    private async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, _cancel.Token).ConfigureAwait(false);
        return read == buffer.Length;
    }

    private void Closed(BgpNotification? headerError, string reason) =>
        _events.TryWrite(new SessionEvent.ConnectionClosed(this, headerError, reason));

    /// <summary>
    /// Drains the queue. Over TCP, queued messages go to the socket as one gathered write (up to
    /// <see cref="GatherBytes"/> at a time) with no copy: a reflector wakes every client's writer
    /// at once after each change, and a 64 KB buffer rented per wake-up (or held per connection)
    /// cost 64 MB per round at 1,000 clients. Other streams (tests) get copies coalesced into one buffer.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        try
        {
            var reader = _outbound.Reader;
            var socket = (Transport.Stream as System.Net.Sockets.NetworkStream)?.Socket;
            // No token here: CloseAsync completes the queue before it cancels, which ends this wait.
            // With a cancellable token the channel allocates a waiter (and a registration) per
            // wake-up, ~5 MB at a reflector whose 1,000 clients wake for every change.
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (socket is not null)
                {
                    await GatherAsync(reader, socket).ConfigureAwait(false);
                    continue;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(WriteBuffer);
                try
                {
                    await DrainAsync(reader, buffer).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The reader reports the loss; a failed write needs no second report.
        }
    }

    private const int GatherBytes = 64 * 1024;
    private const int GatherCount = 512;
    private readonly List<ArraySegment<byte>> _gather = [];

    private async Task GatherAsync(ChannelReader<ArraySegment<byte>> reader, System.Net.Sockets.Socket socket)
    {
        while (true)
        {
            _gather.Clear();
            var total = 0;
            while (_gather.Count < GatherCount && total < GatherBytes && reader.TryRead(out var message))
            {
                _gather.Add(message);
                total += message.Count;
            }
            if (_gather.Count == 0)
            {
                return;
            }
            var sent = _gather.Count == 1 ? 0 : await socket.SendAsync(_gather, System.Net.Sockets.SocketFlags.None).ConfigureAwait(false);
            // Whatever the gathered send left (one message, or a short write) goes through the stream, which writes it all.
            foreach (var segment in _gather)
            {
                if (sent >= segment.Count)
                {
                    sent -= segment.Count;
                    continue;
                }
                await Transport.Stream.WriteAsync(segment.AsMemory(sent), _cancel.Token).ConfigureAwait(false);
                sent = 0;
            }
        }
    }

    /// <summary>Writes what is queued, coalescing small messages into few large writes.</summary>
    private async Task DrainAsync(ChannelReader<ArraySegment<byte>> reader, byte[] buffer)
    {
        var used = 0;
        while (reader.TryRead(out var message))
        {
            if (used + message.Count > buffer.Length)
            {
                await Transport.Stream.WriteAsync(buffer.AsMemory(0, used), _cancel.Token).ConfigureAwait(false);
                used = 0;
            }
            if (message.Count > buffer.Length)
            {
                await Transport.Stream.WriteAsync(message, _cancel.Token).ConfigureAwait(false);
                continue;
            }
            message.AsSpan().CopyTo(buffer.AsSpan(used));
            used += message.Count;
        }
        if (used > 0)
        {
            await Transport.Stream.WriteAsync(buffer.AsMemory(0, used), _cancel.Token).ConfigureAwait(false);
        }
    }
}
