using System.Net.Sockets;

namespace RoutedNet.Common;

/// <summary>
/// An HTTP handler that dials one Unix socket, whatever host the request names: gRPC needs an
/// http:// authority (the agent's local API, a runtime's CRI socket), and this handler ignores it.
/// </summary>
public static class UnixSocketHttpHandler
{
    public static SocketsHttpHandler For(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
