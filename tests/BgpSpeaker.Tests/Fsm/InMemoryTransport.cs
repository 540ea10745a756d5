using System.Net;
using System.Threading.Channels;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// A transport whose connections are in-memory pipes. Each outbound connect hands the far end to
/// the test as a <see cref="FakePeer"/>; <see cref="Incoming"/> simulates the peer connecting to us.
/// </summary>
internal sealed class InMemoryTransport : IBgpTransport
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.1"), 40000);
    private readonly Channel<FakePeer> _connects = Channel.CreateUnbounded<FakePeer>();

    public bool RefuseConnects { get; set; }

    public int ConnectAttempts { get; private set; }

    public Task<TransportConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        ConnectAttempts++;
        if (RefuseConnects)
        {
            throw new IOException("connection refused");
        }
        var (ours, theirs) = DuplexPipeStream.CreatePair();
        _connects.Writer.TryWrite(new FakePeer(theirs));
        return Task.FromResult(new TransportConnection(ours, Local, request.Remote, outbound: true));
    }

    public IBgpListener Listen(IPEndPoint endpoint) => throw new NotSupportedException("sessions under test get incoming connections through Incoming()");

    /// <summary>The peer end of our next outbound connection.</summary>
    public async Task<FakePeer> NextConnectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _connects.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>A connection from the peer to us: returns what to hand the session and the peer's end.</summary>
    public static (TransportConnection Ours, FakePeer Peer) Incoming(IPAddress peer)
    {
        var (ours, theirs) = DuplexPipeStream.CreatePair();
        return (new TransportConnection(ours, Local, new IPEndPoint(peer, 50000), outbound: false), new FakePeer(theirs));
    }
}
