using System.Net;
using System.Net.Sockets;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>
/// BGP over TCP. Sockets come from <paramref name="socketFactory"/> when given: a socket belongs to
/// the network namespace of the thread that created it, so a host can open them inside another
/// namespace and the speaker uses them from anywhere.
/// </summary>
public sealed class TcpTransport(Func<AddressFamily, Socket>? socketFactory = null) : IBgpTransport
{
    /// <summary>
    /// Connections the kernel queues before we accept them. A route reflector restarting sees
    /// every client reconnect at once; a SYN that finds the queue full is dropped and retried by
    /// the client after 1 s, then 3 s, 7 s (BIRD's backlog of 8 makes 1,000 clients take 17.7 s).
    /// The kernel caps it at net.core.somaxconn (4096 by default since Linux 5.4).
    /// </summary>
    public const int ListenBacklog = 4096;

    private readonly Func<AddressFamily, Socket> _socketFactory =
        socketFactory ?? (family => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    public async Task<TransportConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var socket = _socketFactory(request.Remote.AddressFamily);
        try
        {
            socket.NoDelay = true;
            if (request.Local is { } local)
            {
                Bind(socket, local);
            }
            if (request.Password is not null)
            {
                SetKey(socket, request.Remote.Address, request.Password);
            }
            TtlOptions.Apply(socket, request.Ttl, request.MinTtl);
            await socket.ConnectAsync(request.Remote, cancellationToken).ConfigureAwait(false);
            return new TransportConnection(
                new NetworkStream(socket, ownsSocket: true), (IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!, outbound: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The reason an operator reads when the source address is wrong, rather than the kernel's errno text.</summary>
    private static void Bind(Socket socket, IPAddress local)
    {
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new IOException($"source address {local} is not an address of this node", e);
        }
    }

    /// <summary>A refused key fails this connection attempt with a reason an operator can act on (the session retries with backoff).</summary>
    private static void SetKey(Socket socket, IPAddress peer, string password)
    {
        try
        {
            TcpMd5.Set(socket, peer, password);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            throw new IOException($"TCP-MD5 key refused by the kernel: {e.Message}", e);
        }
    }

    public IBgpListener Listen(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = _socketFactory(endpoint.AddressFamily);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;   // IPv4 gets its own listener, so MD5 keys match the socket family
            }
            socket.Bind(endpoint);
            TtlOptions.SaveSyn(socket);
            socket.Listen(ListenBacklog);
            return new TcpBgpListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class TcpBgpListener(Socket socket) : IBgpListener
    {
        public async Task<TransportConnection> AcceptAsync(CancellationToken cancellationToken)
        {
            var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            accepted.NoDelay = true;
            var remote = (IPEndPoint)accepted.RemoteEndPoint!;
            var local = (IPEndPoint)accepted.LocalEndPoint!;
            return new TransportConnection(new NetworkStream(accepted, ownsSocket: true), Unmap(local), Unmap(remote), outbound: false)
            {
                ArrivalTtl = TtlOptions.SavedSynTtl(accepted),
            };
        }

        public void SetPassword(IPAddress peer, string? password)
        {
            if (peer.AddressFamily != socket.AddressFamily)
            {
                return;
            }
            try
            {
                TcpMd5.Set(socket, peer, password);
            }
            catch (SocketException) when (password is null)
            {
                // Removing a key that was never set: nothing to remove.
            }
        }

        public bool ApplyTtl(TransportConnection connection, int? ttl, int? minTtl)
        {
            // The listener is shared by every peer, so IP_MINTTL can only be set once the peer is
            // known: the handshake and the peer's first segments (its OPEN) got past the kernel
            // unchecked. Its SYN's TTL decides instead; what arrives after is checked by the kernel.
            if (minTtl is { } min && connection.ArrivalTtl < min)
            {
                return false;
            }
            if (connection.Stream is NetworkStream stream)
            {
                TtlOptions.Apply(stream.Socket, ttl, minTtl);
            }
            return true;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        private static IPEndPoint Unmap(IPEndPoint endpoint) =>
            endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
    }
}
