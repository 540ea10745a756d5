using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RoutedNet.Datastore;
using RoutedNet.Felix.Cni;
using RoutedNet.Felix.Configuration;

namespace RoutedNet.CniPlugin.Tests.Agent;

/// <summary>
/// The agent's CNI side (<see cref="CniAgent"/> over a sqlite store, answered through
/// <see cref="CniFraming.DispatchAsync"/>) on a Unix socket in a temp directory, without the rest
/// of routednet-node: the plugin's client, its encoding and the agent's handling meet here in
/// process. <see cref="Answer"/> replaces the agent (e.g. with an older one's UNIMPLEMENTED).
/// </summary>
internal sealed class InProcessAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private InProcessAgent(string socketPath, string dataDir, CniAgent agent)
    {
        SocketPath = socketPath;
        DataDir = dataDir;
        Agent = agent;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(16);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    public string DataDir { get; }

    public CniAgent Agent { get; }

    /// <summary>Overrides the agent: method, message → status and answer.</summary>
    public Func<byte, byte[], (byte Status, byte[] Answer)>? Answer { get; set; }

    public static InProcessAgent Start(IStore store, string directory, string datastore = "sqlite:///unused", string nodeName = "node-a", RoutedNet.Felix.Reconcilers.Policy.EndpointAcks? acks = null)
    {
        var dataDir = Path.Combine(directory, "cni");
        var options = new AgentOptions { NodeName = nodeName, Datastore = datastore, CniDataDir = dataDir };
        return new InProcessAgent(Path.Combine(directory, "node.sock"), dataDir, new CniAgent(store, options, NullLogger<CniAgent>.Instance, acks));
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        await using (var stream = new NetworkStream(client))
        {
            var magic = new byte[4];
            if (!await TryReadAsync(stream, magic) || !magic.AsSpan().SequenceEqual("rnc1"u8))
            {
                return;
            }
            var header = new byte[4];
            while (await TryReadAsync(stream, header))
            {
                var frame = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
                if (!await TryReadAsync(stream, frame))
                {
                    return;
                }
                var (status, answer) = Answer is { } answerer
                    ? answerer(frame[0], frame[1..])
                    : await CniFraming.DispatchAsync(Agent, frame[0], frame.AsMemory(1), _stop.Token);
                var reply = new byte[5 + answer.Length];
                BinaryPrimitives.WriteUInt32BigEndian(reply, (uint)(1 + answer.Length));
                reply[4] = status;
                answer.CopyTo(reply, 5);
                await stream.WriteAsync(reply);
            }
        }
    }

    private static async Task<bool> TryReadAsync(Stream stream, byte[] buffer)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        File.Delete(SocketPath);
        await Agent.DisposeAsync();
        _stop.Dispose();
    }
}
