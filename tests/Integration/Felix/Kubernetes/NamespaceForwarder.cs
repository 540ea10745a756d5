using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Makes the stand-in API server (127.0.0.1:PORT of the test's own namespace) reachable from a
/// node's namespace at the same address and port there, as a node reaches its API server:
/// the listening socket is opened inside the node's namespace and served from here, each
/// connection copied byte for byte to the stand-in (TLS passes through untouched).
/// </summary>
public sealed class NamespaceForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private NamespaceForwarder(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port on 127.0.0.1 inside the node's namespace.</summary>
    public int Port { get; }

    public static NamespaceForwarder Start(NetNs ns, int targetPort)
    {
        var listener = NetworkNamespace.Run(ns.Path, () =>
        {
            // NetNs.Create brought lo up, so 127.0.0.1 is there.
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // The same port as the stand-in's: one kubeconfig serves the test and every node.
            socket.Bind(new IPEndPoint(IPAddress.Loopback, targetPort));
            socket.Listen(64);
            return socket;
        });
        return new NamespaceForwarder(listener, new IPEndPoint(IPAddress.Loopback, targetPort));
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                connections.Add(CopyAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task CopyAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        await using var fromClient = new NetworkStream(client, ownsSocket: true);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await using var toServer = new NetworkStream(server, ownsSocket: false);
            var up = PumpAsync(fromClient, toServer, server);
            var down = PumpAsync(toServer, fromClient, client);
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Copies one direction; its end (EOF) is passed on as a half-close, so a watch stream's or a
    // request's end reaches the other side as it would without the forwarder.
    private async Task PumpAsync(Stream from, Stream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            toSocket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
