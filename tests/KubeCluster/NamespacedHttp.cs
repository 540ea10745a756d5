using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// HTTP from inside a network namespace without moving this process there: each connection's
/// socket is made on a thread that entered the namespace (NetworkNamespace.Run) and is used from
/// anywhere afterwards, as a socket stays in the namespace it was made in. That is how the harness
/// reaches the stand-in API server in the tor namespace and probes an agent in its node's namespace
/// (kubelet probes from the node) while traffic never leaves our namespaces.
/// </summary>
public static class NamespacedHttp
{
    public static SocketsHttpHandler Handler(string netnsPath)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        handler.ConnectCallback = async (context, cancel) =>
        {
            var socket = NetworkNamespace.Run(netnsPath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), cancel).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }
}
