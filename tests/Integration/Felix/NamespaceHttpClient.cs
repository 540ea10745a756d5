using System.Net.Sockets;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// An HttpClient whose connections start inside a test namespace, so a test outside it can GET an
/// agent's health port at 127.0.0.1 there. The socket is only created inside (a socket stays in the
/// namespace it was made in, whatever thread later connects it): no `ip netns exec curl`, which
/// ./test.sh does not install.
/// </summary>
public static class NamespaceHttpClient
{
    public static HttpClient Create(NetNs ns)
    {
        var handler = new SocketsHttpHandler
        {
            // A fresh connection per request: a pooled one could outlive an agent a test restarts.
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = NetworkNamespace.Run(ns.Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
