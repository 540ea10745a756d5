using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// `routednetctl lab serve` (hidden; <see cref="PodServer"/> starts it inside a pod's namespace):
/// echoes on each TCP port (accept, echo what arrives, close) and UDP port (each datagram back to
/// its sender), and reads a raw IPPROTO_SCTP socket for INITs to its SCTP ports. Everything it
/// receives is counted per source address; the control socket answers "ping" (ready: every port
/// bound), "sctp SRC SPORT DPORT TAG MS" (seen within MS?) and "received" (the counts).
/// </summary>
internal sealed class PodServerProcess
{
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _initsSeen = new(StringComparer.Ordinal);
    private readonly HashSet<int> _sctpPorts = [];

    public static async Task<int> RunAsync(string control, IReadOnlyList<string> listens, CancellationToken cancellationToken)
    {
        var server = new PodServerProcess();
        var tasks = new List<Task>();
        var sockets = new List<Socket>();
        try
        {
            foreach (var listen in listens)
            {
                var port = PodServer.ParsePort("p=" + listen);
                switch (port.Protocol)
                {
                    case "TCP":
                        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                        sockets.Add(listener);
                        listener.Bind(new IPEndPoint(IPAddress.Any, port.Port));
                        listener.Listen(128);
                        tasks.Add(server.AcceptAsync(listener, cancellationToken));
                        break;
                    case "UDP":
                        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                        sockets.Add(udp);
                        udp.Bind(new IPEndPoint(IPAddress.Any, port.Port));
                        tasks.Add(server.EchoAsync(udp, cancellationToken));
                        break;
                    default:
                        server._sctpPorts.Add(port.Port);
                        break;
                }
            }
            if (server._sctpPorts.Count > 0)
            {
                var raw = RawSctpSocket.Open();
                sockets.Add(raw);
                tasks.Add(server.WatchSctpAsync(raw, cancellationToken));
            }
            File.Delete(control);
            var controlSocket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            sockets.Add(controlSocket);
            controlSocket.Bind(new UnixDomainSocketEndPoint(control));
            controlSocket.Listen(64);
            tasks.Add(server.ControlAsync(controlSocket, cancellationToken));
            Console.WriteLine($"serving {string.Join(' ', listens)}; control {control}");
            await Task.WhenAny(tasks).ConfigureAwait(false);
            // Only a failure ends a loop before cancellation: surface it.
            await (await Task.WhenAny(tasks).ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private void Count(EndPoint? from)
    {
        if (from is IPEndPoint ip)
        {
            _received.AddOrUpdate(ip.Address.ToString(), 1, (_, n) => n + 1);
        }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            Count(connection.RemoteEndPoint);
            _ = EchoOnceAsync(connection, cancellationToken);
        }
    }

    private static async Task EchoOnceAsync(Socket connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var buffer = new byte[512];
                var read = await connection.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read > 0)
                {
                    await connection.SendAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // A prober that only connects and closes, or goes away: nothing to echo.
            }
        }
    }

    private async Task EchoAsync(Socket udp, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (true)
        {
            var result = await udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            Count(result.RemoteEndPoint);
            try
            {
                await udp.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), result.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The reply's way back may be refused (policy, a gone pod): the request was still received.
            }
        }
    }

    private async Task WatchSctpAsync(Socket raw, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (true)
        {
            var read = await raw.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (SctpInit.TryRead(buffer.AsSpan(0, read), out var source, out var sourcePort, out var port, out var tag) && _sctpPorts.Contains(port))
            {
                Count(new IPEndPoint(source, sourcePort));
                _initsSeen[InitKey(source.ToString(), sourcePort, port, tag)] = true;
            }
        }
    }

    private static string InitKey(string source, int sourcePort, int port, uint tag) =>
        string.Create(CultureInfo.InvariantCulture, $"{source} {sourcePort} {port} {tag}");

    private async Task ControlAsync(Socket control, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await control.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = AnswerAsync(connection, cancellationToken);
        }
    }

    private async Task AnswerAsync(Socket connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                var buffer = new byte[512];
                var read = 0;
                while (read < buffer.Length && (read == 0 || buffer[read - 1] != '\n'))
                {
                    var n = await connection.ReceiveAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }
                    read += n;
                }
                var answer = await AnswerAsync(Encoding.ASCII.GetString(buffer, 0, read).Trim().Split(' '), cancellationToken).ConfigureAwait(false);
                await connection.SendAsync(Encoding.ASCII.GetBytes(answer + "\n"), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The asker went away.
            }
        }
    }

    private async Task<string> AnswerAsync(string[] request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case ["ping"]:
                return "ready";
            case ["received"]:
                return string.Join(' ', _received.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value}")));
            case ["sctp", var source, var sourcePort, var port, var tag, var milliseconds]:
                var key = $"{source} {sourcePort} {port} {tag}";
                var deadline = DateTime.UtcNow.AddMilliseconds(int.Parse(milliseconds, CultureInfo.InvariantCulture));
                // The INIT may still be on its way when the prober asks: look again until the deadline.
                while (!_initsSeen.ContainsKey(key) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                }
                return _initsSeen.ContainsKey(key) ? "seen" : "none";
            default:
                return "unknown request";
        }
    }
}
