using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// The kernel refusing one peer's TCP-MD5 key (a kernel without TCP_MD5SIG, no memory) is that
/// peer's problem only: before, AddPeerAsync threw, and the node agent stopped applying every
/// later peer and its own advertisements. Now the peer is added, its status says why, the key is
/// tried again with backoff, and the others are untouched.
/// </summary>
public sealed class SpeakerMd5RefusedTests : IAsyncDisposable
{
    private static readonly IPAddress Keyed = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Plain = IPAddress.Parse("192.0.2.3");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Md5RefusingTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerMd5RefusedTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = 65000, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = 179, ListenAddresses = [IPAddress.Any] }, null, _time, _transport);
    }

    [Fact]
    public async Task AddPeer_KernelRefusesMd5Key_PeerAddedWithReasonOthersEstablishAndKeyRetried()
    {
        await _speaker.StartAsync();

        await _speaker.AddPeerAsync(new BgpPeerOptions { Address = Keyed, RemoteAs = 65001, Password = "s3cret" });
        await _speaker.AddPeerAsync(new BgpPeerOptions { Address = Plain, RemoteAs = 65002 });

        // The keyed peer's own connect fails the same way; the plain peer connects and comes up.
        var plain = await _transport.Inner.NextConnectAsync();
        await plain.HandshakeAsync(65002, 0x0A000003);
        await Until(s => s.Any(p => p.Address.Equals(Plain) && p.State == SessionState.Established), "the plain peer Established");
        var keyed = (await _speaker.GetPeersAsync()).Single(p => p.Address.Equals(Keyed));
        Assert.NotEqual(SessionState.Established, keyed.State);
        Assert.Contains("TCP-MD5 key refused", keyed.LastError, StringComparison.Ordinal);

        // The kernel takes keys again (a module loaded): the retry gives the listener the key.
        _transport.Refuse = false;
        for (var i = 0; i < 100 && !_transport.ListenerKeys.Contains(Keyed); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
        Assert.Contains(Keyed, _transport.ListenerKeys);
        Assert.True(_transport.RefusedListenerKeys is > 0 and < 10, $"{_transport.RefusedListenerKeys} refused tries: retried with backoff, not in a loop");
    }

    private async Task Until(Func<IReadOnlyList<PeerStatus>, bool> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            if (condition(await _speaker.GetPeersAsync()))
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"never: {what}");
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();

    /// <summary>In-memory connections; while <see cref="Refuse"/> is set, every MD5 key is refused as a kernel without TCP_MD5SIG does (ENOPROTOOPT).</summary>
    private sealed class Md5RefusingTransport : IBgpTransport
    {
        public InMemoryTransport Inner { get; } = new();

        public volatile bool Refuse = true;

        public HashSet<IPAddress> ListenerKeys { get; } = [];

        public int RefusedListenerKeys { get; set; }

        public Task<TransportConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken) =>
            request.Password is not null && Refuse
                ? throw new IOException("TCP-MD5 key refused by the kernel: Protocol not available")
                : Inner.ConnectAsync(request, cancellationToken);

        public IBgpListener Listen(IPEndPoint endpoint) => new Listener(this);

        private sealed class Listener(Md5RefusingTransport transport) : IBgpListener
        {
            public async Task<TransportConnection> AcceptAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new OperationCanceledException();
            }

            public void SetPassword(IPAddress peer, string? password)
            {
                if (password is null)
                {
                    return;
                }
                if (transport.Refuse)
                {
                    transport.RefusedListenerKeys++;
                    throw new SocketException((int)SocketError.ProtocolOption);
                }
                transport.ListenerKeys.Add(peer);
            }

            public bool ApplyTtl(TransportConnection connection, int? ttl, int? minTtl) => true;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
