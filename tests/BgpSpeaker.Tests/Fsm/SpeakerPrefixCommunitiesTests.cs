using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// Per-prefix communities (BGPConfiguration prefixAdvertisements) as a peer receives them: each
/// route carries the communities of every entry whose CIDR holds it, and no others; prefixes with
/// the same communities share one UPDATE.
/// </summary>
public sealed class SpeakerPrefixCommunitiesTests : IAsyncDisposable
{
    private static readonly IPAddress PeerAddress = IPAddress.Parse("192.0.2.2");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerPrefixCommunitiesTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = 65000, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    [Fact]
    public async Task Originate_PrefixInsideEntries_CarriesTheirCommunitiesOthersNone()
    {
        await _speaker.StartAsync();
        await _speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = PeerAddress,
            RemoteAs = 65001,
            LocalAddress = IPAddress.Parse("192.0.2.1"),
            Export = new ExportPolicy
            {
                PrefixCommunities =
                [
                    new PrefixCommunity(BgpPrefix.Parse("10.65.0.0/16"), (65000u << 16) | 100, null),
                    new PrefixCommunity(BgpPrefix.Parse("10.65.1.0/24"), null, new LargeCommunity(65000, 1, 2)),
                    new PrefixCommunity(BgpPrefix.Parse("10.65.0.0/16"), 0xFFFF0000, null),
                ],
            },
        });
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(65001, 0x0A000002);

        await _speaker.OriginateAsync(IPNetwork.Parse("10.65.1.0/26"));
        await _speaker.OriginateAsync(IPNetwork.Parse("10.65.2.0/26"));
        await _speaker.OriginateAsync(IPNetwork.Parse("10.66.0.0/26"));

        var context = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
        var received = new Dictionary<BgpPrefix, PathAttributes>();
        while (received.Count < 3)
        {
            Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), context, out var update, out _));
            foreach (var prefix in update!.Nlri)
            {
                received[prefix] = update.Attributes;
            }
        }
        var inBlock = received[BgpPrefix.Parse("10.65.1.0/26")];
        Assert.Equal([(65000u << 16) | 100, 0xFFFF0000], inBlock.Communities.Order().ToArray());
        Assert.Equal([new LargeCommunity(65000, 1, 2)], inBlock.LargeCommunities.ToArray());
        var inPool = received[BgpPrefix.Parse("10.65.2.0/26")];
        Assert.Equal([(65000u << 16) | 100, 0xFFFF0000], inPool.Communities.Order().ToArray());
        Assert.Empty(inPool.LargeCommunities);
        var outside = received[BgpPrefix.Parse("10.66.0.0/26")];
        Assert.Empty(outside.Communities);
        Assert.Empty(outside.LargeCommunities);
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
