using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>The speaker as graceful-restart helper and its max-prefix limit, over in-memory connections and a fake clock.</summary>
public sealed class SpeakerGracefulRestartTests : IAsyncDisposable
{
    private static readonly IPAddress PeerAddress = IPAddress.Parse("192.0.2.2");
    private static readonly GracefulRestartCapability PeerGr = new() { RestartTime = 120, Families = FakePeer.BothFamilies(true) };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerGracefulRestartTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = 65000, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    private async Task<FakePeer> ConnectAsync(int? maxPrefixes = null, bool addPeer = true, TimeSpan? maxPrefixRestartAfter = null)
    {
        if (addPeer)
        {
            await _speaker.StartAsync();
            await _speaker.AddPeerAsync(new BgpPeerOptions
            {
                Address = PeerAddress,
                RemoteAs = 65001,
                Import = new ImportPolicy { Allowed = [PrefixRange.Parse("10.10.0.0/16 le 32")], MaxPrefixes = maxPrefixes, MaxPrefixRestartAfter = maxPrefixRestartAfter },
            });
        }
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(65001, 0x0A000002, gracefulRestart: PeerGr);
        return peer;
    }

    private static Task Announce(FakePeer peer, params string[] prefixes) =>
        peer.SendAsync(new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = PeerAddress },
            nlri: [.. prefixes.Select(BgpPrefix.Parse)]));

    private async Task<RibEntry?> Route(string prefix) =>
        (await _speaker.GetRoutesAsync()).SingleOrDefault(r => r.Prefix.Equals(IPNetwork.Parse(prefix)));

    [Fact]
    public async Task PeerConnectionLost_RoutesKeptStaleThenRemovedAfterRestartTime()
    {
        var peer = await ConnectAsync();
        await Announce(peer, "10.10.2.0/24");
        await Eventually.Until(async () => await Route("10.10.2.0/24") is not null, "route learned");

        await peer.DisposeAsync();

        await Eventually.Until(async () => (await Route("10.10.2.0/24"))?.IsStale == true, "route kept as stale");
        _time.Advance(TimeSpan.FromSeconds(121));
        await Eventually.Until(async () => await Route("10.10.2.0/24") is null, "stale route removed after the restart time");
    }

    [Fact]
    public async Task PeerBackAndEndOfRib_StaleRoutesNotResentAreSwept()
    {
        var peer = await ConnectAsync();
        await Announce(peer, "10.10.2.0/24", "10.10.9.0/24");
        await Eventually.Until(async () => (await _speaker.GetRoutesAsync()).Count == 2, "routes learned");
        await peer.DisposeAsync();
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0] is { State: SessionState.Idle, StalePrefixes: 2 }, "peer down, routes stale");

        _time.Advance(TimeSpan.FromSeconds(5));
        var back = await ConnectAsync(addPeer: false);
        await Announce(back, "10.10.2.0/24");
        await Eventually.Until(async () => (await Route("10.10.2.0/24"))?.IsStale == false, "route re-learned");
        Assert.True((await Route("10.10.9.0/24"))!.IsStale);
        await back.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));

        await Eventually.Until(async () => await Route("10.10.9.0/24") is null, "the route not sent again is swept after End-of-RIB");
        Assert.Equal(0, (await _speaker.GetPeersAsync())[0].StalePrefixes);
    }

    [Fact]
    public async Task PeerSendsMoreThanMaxPrefixes_Cease1AndRoutesDropped()
    {
        var peer = await ConnectAsync(maxPrefixes: 1);

        await Announce(peer, "10.10.2.0/24", "10.10.3.0/24");

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.Cease, notification.Code);
        Assert.Equal((byte)CeaseSubcode.MaximumNumberOfPrefixesReached, notification.Subcode);
        await Eventually.Until(async () => (await _speaker.GetRoutesAsync()).Count == 0, "routes dropped");
    }

    private async Task TripMaxPrefixAsync(FakePeer peer)
    {
        await Announce(peer, "10.10.2.0/24", "10.10.3.0/24");
        await peer.ExpectNotificationAsync();
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0].State == SessionState.Idle, "session down after the trip");
    }

    [Fact]
    public async Task MaxPrefixTripped_NoRestartInterval_StaysIdleUntilOperatorReset()
    {
        var peer = await ConnectAsync(maxPrefixes: 1);
        await TripMaxPrefixAsync(peer);
        var attempts = _transport.ConnectAttempts;

        // Far past every idle-hold back-off and connect-retry timer: still down, no reconnect loop.
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(10);
        }
        var status = (await _speaker.GetPeersAsync())[0];
        Assert.Equal(SessionState.Idle, status.State);
        Assert.Equal(attempts, _transport.ConnectAttempts);
        Assert.Contains("stays down until an operator resets", status.LastError, StringComparison.Ordinal);

        await _speaker.ResetPeerAsync(PeerAddress);
        var back = await ConnectAsync(addPeer: false);
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0].State == SessionState.Established, "re-established after the reset");
        await back.DisposeAsync();
    }

    [Fact]
    public async Task MaxPrefixTripped_RestartInterval_ReconnectsOnlyAfterIt()
    {
        var peer = await ConnectAsync(maxPrefixes: 1, maxPrefixRestartAfter: TimeSpan.FromMinutes(5));
        await TripMaxPrefixAsync(peer);
        var attempts = _transport.ConnectAttempts;

        _time.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(50);
        Assert.Equal(attempts, _transport.ConnectAttempts);

        _time.Advance(TimeSpan.FromMinutes(1));
        var back = await ConnectAsync(addPeer: false);
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0].State == SessionState.Established, "re-established after the restart interval");
        await back.DisposeAsync();
    }

    [Fact]
    public async Task Originate_EbgpPeer_ReceivesOurAsAndOurAddressAsNextHop()
    {
        var peer = await ConnectAsync();

        await _speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));

        var context = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
        UpdateMessage? update = null;
        while (update is null || update.Nlri.IsEmpty)
        {
            Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), context, out update, out _));
        }
        Assert.Equal([BgpPrefix.Parse("10.10.1.0/24")], update.Nlri.ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.1"), update.Attributes.NextHop);
        Assert.Equal([65000u], update.Attributes.AsPath!.Segments[0].Asns.ToArray());
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
