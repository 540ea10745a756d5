using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// Graceful shutdown (RFC 8326), the first step of `routednetctl node drain`: while it is on, every
/// route each peer receives carries 65535:0 (iBGP peers also LOCAL_PREF 0), sent again on sessions
/// already up and from the start on sessions that come up later; off again, the routes go back to
/// what they were. Nothing is withdrawn by it: traffic moves while our routes still forward.
/// </summary>
public sealed class SpeakerGracefulShutdownTests : IAsyncDisposable
{
    private static readonly IPNetwork Block = IPNetwork.Parse("10.65.1.0/26");
    private static readonly BgpCodecContext External = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
    private static readonly BgpCodecContext Internal = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: false);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerGracefulShutdownTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = 65000, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    [Fact]
    public async Task GracefulShutdown_OnThenOff_EveryPeerGetsTheRouteAgainWithThenWithout65535_0_IbgpLocalPrefZero()
    {
        await _speaker.StartAsync();
        var ebgp = await PeerAsync("192.0.2.2", 65001);
        var ibgp = await PeerAsync("192.0.2.3", 65000);
        await _speaker.OriginateAsync(Block);
        var before = await NextAnnouncementAsync(ebgp, External);
        Assert.Empty(before.Communities);
        var ibgpBefore = await NextAnnouncementAsync(ibgp, Internal);
        Assert.Equal(100u, ibgpBefore.LocalPref);

        await _speaker.SetGracefulShutdownAsync(true);

        var draining = await NextAnnouncementAsync(ebgp, External);
        Assert.Equal([BgpSpeaker.GracefulShutdownCommunity], draining.Communities.ToArray());
        Assert.Null(draining.LocalPref);
        var ibgpDraining = await NextAnnouncementAsync(ibgp, Internal);
        Assert.Equal([BgpSpeaker.GracefulShutdownCommunity], ibgpDraining.Communities.ToArray());
        Assert.Equal(0u, ibgpDraining.LocalPref);

        // A session that comes up while it is on gets the community in its first table.
        var late = await PeerAsync("192.0.2.4", 65002);
        var lateFirst = await NextAnnouncementAsync(late, External);
        Assert.Equal([BgpSpeaker.GracefulShutdownCommunity], lateFirst.Communities.ToArray());

        await _speaker.SetGracefulShutdownAsync(false);

        Assert.Empty((await NextAnnouncementAsync(ebgp, External)).Communities);
        var ibgpAfter = await NextAnnouncementAsync(ibgp, Internal);
        Assert.Empty(ibgpAfter.Communities);
        Assert.Equal(100u, ibgpAfter.LocalPref);
    }

    private async Task<FakePeer> PeerAsync(string address, uint remoteAs)
    {
        await _speaker.AddPeerAsync(new BgpPeerOptions { Address = IPAddress.Parse(address), RemoteAs = remoteAs, LocalAddress = IPAddress.Parse("192.0.2.1") });
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(remoteAs, BitConverter.ToUInt32(IPAddress.Parse(address).GetAddressBytes()));
        return peer;
    }

    /// <summary>The next UPDATE that announces <see cref="Block"/> (End-of-RIB markers skipped).</summary>
    private static async Task<PathAttributes> NextAnnouncementAsync(FakePeer peer, BgpCodecContext context)
    {
        while (true)
        {
            Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), context, out var update, out _));
            Assert.Empty(update!.WithdrawnRoutes);
            if (update.Nlri.Contains(BgpPrefix.Parse(Block.ToString())))
            {
                return update.Attributes;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
