using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// A route reflector with ADD-PATH send (RFC 7911): a router that can receive several paths gets
/// every client's path of a VIP, each under its own identifier and with the client's next hop, so
/// it can spread traffic over all of them (ECMP); a router that cannot still gets the one best path.
/// </summary>
public sealed class SpeakerAddPathTests : IAsyncDisposable
{
    private const uint ClusterAs = ReflectorPeers.ClusterAs;
    private static readonly BgpPrefix Vip = BgpPrefix.Parse("10.96.0.10/32");
    private static readonly BgpCodecContext ToRead = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv4 = AddPathMode.Receive, AddPathIpv6 = AddPathMode.Receive };
    private static readonly BgpCodecContext Plain = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerAddPathTests()
    {
        _speaker = new BgpSpeaker(
            new BgpGlobalOptions { LocalAs = ClusterAs, RouterId = IPAddress.Parse("10.0.0.1"), ClusterId = IPAddress.Parse("10.0.0.1"), ListenPort = null },
            null,
            _time,
            _transport);
    }

    [Fact]
    public async Task Reflector_TwoClientsAnnounceOneVip_AddPathRouterGetsBothNextHopsOthersTheBest()
    {
        await _speaker.StartAsync();
        var tor = await ConnectAsync(Router("192.0.2.100", AddPathMode.Send), 64500, 0x0a000064, AddPathMode.Receive);
        var plainTor = await ConnectAsync(Router("192.0.2.101", AddPathMode.None), 64501, 0x0a000065, AddPathMode.Receive);
        var node2 = await ConnectAsync(ReflectorPeers.Client("192.0.2.2"), ClusterAs, 0x0a000002, AddPathMode.None);
        var node3 = await ConnectAsync(ReflectorPeers.Client("192.0.2.3"), ClusterAs, 0x0a000003, AddPathMode.None);

        await node2.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.2"));
        await node3.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.3"));

        var paths = new Dictionary<uint, IPAddress>();
        while (paths.Count < 2)
        {
            Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), ToRead, out var update, out var error), error.ToString());
            for (var i = 0; i < update!.Nlri.Length; i++)
            {
                Assert.Equal(Vip, update.Nlri[i]);
                paths[update.NlriPathIds[i]] = update.Attributes.NextHop!;
            }
        }
        Assert.Equal(["192.0.2.2", "192.0.2.3"], paths.Values.Select(a => a.ToString()).Order().ToArray());
        Assert.True(UpdateMessage.TryRead(await plainTor.ExpectAsync(BgpMessageType.Update), Plain, out var single, out _));
        Assert.Equal([Vip], single!.Nlri.ToArray());
        Assert.Empty(single.NlriPathIds);

        // node3 stops announcing: only its path is withdrawn, by its identifier.
        var node3Id = paths.Single(p => p.Value.Equals(IPAddress.Parse("192.0.2.3"))).Key;
        await node3.SendAsync(new UpdateMessage(withdrawnRoutes: [Vip]));
        Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), ToRead, out var withdrawal, out _));
        Assert.Equal([Vip], withdrawal!.WithdrawnRoutes.ToArray());
        Assert.Equal([node3Id], withdrawal.WithdrawnPathIds.ToArray());
        Assert.Empty(withdrawal.Nlri);
    }

    [Fact]
    public async Task Reflector_WorsePathArrives_AddPathRouterGetsItThoughTheBestStays()
    {
        await _speaker.StartAsync();
        var tor = await ConnectAsync(Router("192.0.2.100", AddPathMode.Send), 64500, 0x0a000064, AddPathMode.Receive);
        var node2 = await ConnectAsync(ReflectorPeers.Client("192.0.2.2"), ClusterAs, 0x0a000002, AddPathMode.None);
        var node3 = await ConnectAsync(ReflectorPeers.Client("192.0.2.3"), ClusterAs, 0x0a000003, AddPathMode.None);
        await node2.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.2", localPref: 200));
        Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), ToRead, out var first, out _));
        Assert.Equal("192.0.2.2", first!.Attributes.NextHop!.ToString());

        // Lower local preference: not the best, not in the multipath set, still a path to send.
        await node3.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.3", localPref: 50));

        Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), ToRead, out var second, out _));
        Assert.Equal("192.0.2.3", second!.Attributes.NextHop!.ToString());
        Assert.NotEqual(first.NlriPathIds[0], second.NlriPathIds[0]);
    }

    [Fact]
    public async Task Reflector_ClientServiceRoutePassOnOnly_ReflectedButNeverInstalled()
    {
        await _speaker.StartAsync();
        var tor = await ConnectAsync(Router("192.0.2.100", AddPathMode.Send), 64500, 0x0a000064, AddPathMode.Receive);
        var services = new[] { PrefixRange.Parse("10.96.0.0/12") };
        var node2 = await ConnectAsync(
            ReflectorPeers.Client("192.0.2.2") with { Import = ImportPolicy.AcceptAll with { Refused = services, PassOnOnly = services } },
            ClusterAs,
            0x0a000002,
            AddPathMode.None);
        var block = BgpPrefix.Parse("10.244.2.0/26");

        await node2.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.2"));
        await node2.SendAsync(ReflectorPeers.Announce(block, "192.0.2.2"));

        var reflected = new HashSet<BgpPrefix>();
        while (reflected.Count < 2)
        {
            Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), ToRead, out var update, out _));
            reflected.UnionWith(update!.Nlri);
        }
        Assert.Contains(Vip, reflected);
        // The kernel hears of the block, and never of the VIP, announced before it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var installed = new List<BgpPrefix>();
        while (!installed.Contains(block))
        {
            installed.AddRange((await _speaker.BestRouteChanges.ReadAsync(timeout.Token)).Select(c => c.Prefix));
        }
        Assert.DoesNotContain(Vip, installed);
    }

    private async Task<FakePeer> ConnectAsync(BgpPeerOptions options, uint asn, uint routerId, AddPathMode addPath)
    {
        await _speaker.AddPeerAsync(options);
        var peer = await _transport.NextConnectAsync();
        var open = await peer.HandshakeAsync(asn, routerId, addPath: addPath);
        Assert.Equal(options.AddPaths == AddPathMode.None ? [] : [new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Send), new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Send)], open.Capabilities.AddPath.ToArray());
        // Our End-of-RIB for both families.
        await peer.ExpectAsync(BgpMessageType.Update);
        await peer.ExpectAsync(BgpMessageType.Update);
        return peer;
    }

    /// <summary>A rack router in another AS that keeps the nodes' next hops (Calico's nextHopMode Keep through an RR).</summary>
    private static BgpPeerOptions Router(string address, AddPathMode addPaths) => new()
    {
        Address = IPAddress.Parse(address),
        RemoteAs = address.EndsWith("100", StringComparison.Ordinal) ? 64500u : 64501u,
        LocalAddress = IPAddress.Parse("192.0.2.1"),
        AddPaths = addPaths,
        Import = ImportPolicy.AcceptAll,
        Export = new ExportPolicy { Learned = true, NextHopMode = NextHopMode.Keep },
    };

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
