using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>
/// Our side of one fuzzing session: a plain TCP client that opens like a well-behaved peer
/// (4-octet AS, IPv4+IPv6, route refresh, extended messages) and then records how the speaker ends it.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task _reader = Task.CompletedTask;
    private Ending? _ending;
    private string? _protocolError;
    private bool _openSeen;

    private PeerConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The speaker sent OPEN and then KEEPALIVE on this connection: it is in OpenConfirm or beyond.</summary>
    public bool Confirmed { get; private set; }

    /// <summary>Negotiated once the speaker's OPEN arrived; cases are encoded and judged with it.</summary>
    public BgpCodecContext Context { get; private set; } = BgpCodecContext.Initial;

    public static async Task<PeerConnection> OpenAsync(IPEndPoint local, IPEndPoint remote, uint asn)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(local);
            await socket.ConnectAsync(remote).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new PeerConnection(socket);
        var capabilities = new BgpCapabilities { Multiprotocol = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast], RouteRefresh = true, ExtendedMessage = true };
        await connection.SendAsync(OpenMessage.Create(asn, 90, 0x0aff0002, capabilities).ToArray(BgpCodecContext.Initial)).ConfigureAwait(false);
        connection._reader = Task.Run(() => connection.ReadLoopAsync(capabilities));
        return connection;
    }

    /// <summary>Sends bytes; a connection the speaker already closed is not an error here (its ending is).</summary>
    public async Task SendAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public bool TryTakeEnding(out Ending ending)
    {
        lock (_gate)
        {
            if (_protocolError is not null)
            {
                throw new FuzzFindingException($"the speaker sent bytes our decoder rejects: {_protocolError}", []);
            }
            ending = _ending ?? default;
            return _ending.HasValue;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Close();
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(BgpCapabilities ours)
    {
        var messages = new BgpMessageStream(PipeReader.Create(_stream));
        while (!_stop.IsCancellationRequested)
        {
            BgpReadResult result;
            try
            {
                result = await messages.ReadAsync(Context, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                lock (_gate)
                {
                    _ending ??= new Ending(_stop.IsCancellationRequested ? EndingKind.Closed : EndingKind.ConnectionReset, 0, 0);
                }
                return;
            }
            lock (_gate)
            {
                switch (result.Message)
                {
                    case null when result.IsEndOfStream:
                        _ending ??= new Ending(EndingKind.Closed, 0, 0);
                        return;
                    case null:
                        _protocolError = result.Error.ToString();
                        return;
                    case NotificationMessage notification:
                        _ending ??= new Ending(EndingKind.Notification, notification.Code, notification.Subcode);
                        return;
                    case KeepaliveMessage when _openSeen:
                        Confirmed = true;
                        break;
                    case OpenMessage open:
                        _openSeen = true;
                        Context = new BgpCodecContext(
                            FourOctetAs: open.Capabilities.FourOctetAs is not null,
                            ExtendedMessage: open.Capabilities.ExtendedMessage && ours.ExtendedMessage,
                            IsExternal: true);
                        break;
                }
            }
            if (result.Message is OpenMessage)
            {
                await SendAsync(KeepaliveMessage.Instance.ToArray(Context)).ConfigureAwait(false);
            }
        }
    }
}
