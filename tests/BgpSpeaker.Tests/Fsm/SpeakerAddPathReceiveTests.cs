using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// ADD-PATH receive (RFC 7911) through the whole speaker: a peer (a route reflector) sends several
/// paths of one VIP over one session, each under its own Path Identifier. Each is a candidate:
/// the node agent hears of every next hop (ECMP), a withdrawal takes one path, graceful restart
/// marks and sweeps them one by one, and a reflector sends them on under distinct identifiers.
/// </summary>
public sealed class SpeakerAddPathReceiveTests : IAsyncDisposable
{
    private const uint ClusterAs = ReflectorPeers.ClusterAs;
    private static readonly BgpPrefix Vip = BgpPrefix.Parse("198.51.100.10/32");
    private static readonly IPAddress Upstream = IPAddress.Parse("192.0.2.100");

    /// <summary>How the upstream peer writes: identifiers before each prefix (it sends, we receive).</summary>
    private static readonly BgpCodecContext UpstreamWrites = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: false) { AddPathIpv4 = AddPathMode.Send, AddPathIpv6 = AddPathMode.Send };

    private static readonly BgpCodecContext TorReads = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv4 = AddPathMode.Receive, AddPathIpv6 = AddPathMode.Receive };

    private static readonly GracefulRestartCapability PeerGr = new() { RestartTime = 120, Families = FakePeer.BothFamilies(true) };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerAddPathReceiveTests()
    {
        _speaker = new BgpSpeaker(
            new BgpGlobalOptions { LocalAs = ClusterAs, RouterId = IPAddress.Parse("10.0.0.1"), ClusterId = IPAddress.Parse("10.0.0.1"), ListenPort = null, MaxPaths = 4 },
            null,
            _time,
            _transport);
    }

    [Fact]
    public async Task Receive_TwoPathsOfAVipOverOneSession_AgentGetsBothNextHopsThenOneAfterAWithdrawal()
    {
        await _speaker.StartAsync();
        var upstream = await ConnectUpstreamAsync(addPeer: true);

        await upstream.SendAsync(Announce(7, "192.0.2.2"), UpstreamWrites);
        await upstream.SendAsync(Announce(8, "192.0.2.3"), UpstreamWrites);

        await UntilNextHops(["192.0.2.2", "192.0.2.3"]);
        Assert.Equal(2, (await Route())!.Candidates);

        // RFC 7911 §3: the withdrawal names prefix and identifier; only that path goes. One the
        // peer never used changes nothing.
        await upstream.SendAsync(new UpdateMessage(withdrawnRoutes: [Vip], withdrawnPathIds: [99]), UpstreamWrites);
        await upstream.SendAsync(new UpdateMessage(withdrawnRoutes: [Vip], withdrawnPathIds: [7]), UpstreamWrites);
        await UntilNextHops(["192.0.2.3"]);
        Assert.Equal(1, (await Route())!.Candidates);

        // The same identifier again replaces its path (a moved endpoint), not the other one.
        await upstream.SendAsync(Announce(8, "192.0.2.4"), UpstreamWrites);
        await UntilNextHops(["192.0.2.4"]);
        await upstream.SendAsync(new UpdateMessage(withdrawnRoutes: [Vip], withdrawnPathIds: [8]), UpstreamWrites);
        await Eventually.Until(async () => await Route() is null, "the VIP gone with its last path");
    }

    [Fact]
    public async Task Receive_PeerRestartsWithGracefulRestart_PathsNotSentAgainAreSweptOneByOne()
    {
        await _speaker.StartAsync();
        var upstream = await ConnectUpstreamAsync(addPeer: true);
        await upstream.SendAsync(Announce(7, "192.0.2.2"), UpstreamWrites);
        await upstream.SendAsync(Announce(8, "192.0.2.3"), UpstreamWrites);
        await UntilNextHops(["192.0.2.2", "192.0.2.3"]);

        await upstream.DisposeAsync();
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0] is { State: SessionState.Idle, StalePrefixes: 2 }, "peer down, both paths stale");
        Assert.Equal(["192.0.2.2", "192.0.2.3"], await NextHops());

        _time.Advance(TimeSpan.FromSeconds(5));
        var back = await ConnectUpstreamAsync(addPeer: false);
        await back.SendAsync(Announce(8, "192.0.2.3"), UpstreamWrites);
        await Eventually.Until(async () => (await _speaker.GetPeersAsync())[0].StalePrefixes == 1, "path 8 re-learned, path 7 still stale");
        await back.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast), UpstreamWrites);

        await UntilNextHops(["192.0.2.3"]);
        Assert.Equal(0, (await _speaker.GetPeersAsync())[0].StalePrefixes);
    }

    [Fact]
    public async Task Reflector_ReceivesSeveralPathsFromOnePeer_SendsEachOnUnderItsOwnIdentifier()
    {
        await _speaker.StartAsync();
        var tor = await ConnectTorAsync();
        var upstream = await ConnectUpstreamAsync(addPeer: true);
        var node2 = await ConnectClientAsync("192.0.2.5", 0x0a000005);

        // The upstream peer's identifiers 1 and 2, and a client without ADD-PATH: three origins.
        await upstream.SendAsync(Announce(1, "192.0.2.2"), UpstreamWrites);
        await upstream.SendAsync(Announce(2, "192.0.2.3"), UpstreamWrites);
        await node2.SendAsync(ReflectorPeers.Announce(Vip, "192.0.2.5"));

        var paths = await ReadPathsAsync(tor, 3);
        Assert.Equal(["192.0.2.2", "192.0.2.3", "192.0.2.5"], paths.Values.Select(a => a.ToString()).Order().ToArray());

        // ROUTE-REFRESH (RFC 2918): the ToR gets the three again, under the same identifiers.
        await tor.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast));
        Assert.Equal(paths, await ReadPathsAsync(tor, 3));

        // The upstream withdraws its identifier 2: the ToR loses that path alone.
        await upstream.SendAsync(new UpdateMessage(withdrawnRoutes: [Vip], withdrawnPathIds: [2]), UpstreamWrites);
        Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), TorReads, out var withdrawal, out _));
        Assert.Equal([Vip], withdrawal!.WithdrawnRoutes.ToArray());
        Assert.Equal([paths.Single(p => p.Value.ToString() == "192.0.2.3").Key], withdrawal.WithdrawnPathIds.ToArray());
    }

    [Fact]
    public async Task Receive_PathIdCutShort_NotificationInvalidNetworkField()
    {
        await _speaker.StartAsync();
        var upstream = await ConnectUpstreamAsync(addPeer: true);
        var body = Wire.UpdateBytes.Body(Wire.UpdateBytes.OriginIgp + Wire.UpdateBytes.AsPath4 + Wire.UpdateBytes.NextHop + Wire.UpdateBytes.LocalPref, nlri: "00000007 20 c633640a 000000");
        var frame = new byte[BgpHeader.Size + body.Length];
        BgpHeader.Write(frame, frame.Length, BgpMessageType.Update);
        body.CopyTo(frame, BgpHeader.Size);

        await upstream.SendRawAsync(frame);

        var notification = await upstream.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.UpdateMessageError, notification.Code);
        Assert.Equal((byte)UpdateMessageErrorSubcode.InvalidNetworkField, notification.Subcode);
    }

    private static UpdateMessage Announce(uint pathId, string nextHop) => new(
        attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse(nextHop), LocalPref = 100 },
        nlri: [Vip],
        nlriPathIds: [pathId]);

    /// <summary>An iBGP peer (a reflector above us, in our AS) that sends ADD-PATH, with graceful restart.</summary>
    private async Task<FakePeer> ConnectUpstreamAsync(bool addPeer)
    {
        if (addPeer)
        {
            await _speaker.AddPeerAsync(new BgpPeerOptions
            {
                Address = Upstream,
                RemoteAs = ClusterAs,
                LocalAddress = IPAddress.Parse("192.0.2.1"),
                AddPaths = AddPathMode.Both,
                Import = ImportPolicy.AcceptAll,
                Export = new ExportPolicy { Learned = true },
            });
        }
        var peer = await _transport.NextConnectAsync();
        var open = await peer.HandshakeAsync(ClusterAs, 0x0a000064, gracefulRestart: PeerGr, addPath: AddPathMode.Send);
        // We offer Send and Receive; the session receives identifiers from the peer.
        Assert.Equal([new AddPathFamily(AfiSafi.Ipv4Unicast, AddPathMode.Both), new AddPathFamily(AfiSafi.Ipv6Unicast, AddPathMode.Both)], open.Capabilities.AddPath.ToArray());
        await peer.ExpectAsync(BgpMessageType.Update);
        await peer.ExpectAsync(BgpMessageType.Update);
        return peer;
    }

    private async Task<FakePeer> ConnectTorAsync()
    {
        await _speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = IPAddress.Parse("192.0.2.200"),
            RemoteAs = 64500,
            LocalAddress = IPAddress.Parse("192.0.2.1"),
            AddPaths = AddPathMode.Send,
            Import = ImportPolicy.AcceptAll,
            Export = new ExportPolicy { Learned = true, NextHopMode = NextHopMode.Keep },
        });
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(64500, 0x0a0000c8, addPath: AddPathMode.Receive);
        await peer.ExpectAsync(BgpMessageType.Update);
        await peer.ExpectAsync(BgpMessageType.Update);
        return peer;
    }

    private async Task<FakePeer> ConnectClientAsync(string address, uint routerId)
    {
        await _speaker.AddPeerAsync(ReflectorPeers.Client(address));
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(ClusterAs, routerId);
        await peer.ExpectAsync(BgpMessageType.Update);
        await peer.ExpectAsync(BgpMessageType.Update);
        return peer;
    }

    /// <summary>Reads UPDATEs until <paramref name="count"/> paths of the VIP arrived: identifier → next hop.</summary>
    private static async Task<Dictionary<uint, IPAddress>> ReadPathsAsync(FakePeer tor, int count)
    {
        var paths = new Dictionary<uint, IPAddress>();
        while (paths.Count < count)
        {
            Assert.True(UpdateMessage.TryRead(await tor.ExpectAsync(BgpMessageType.Update), TorReads, out var update, out var error), error.ToString());
            for (var i = 0; i < update!.Nlri.Length; i++)
            {
                Assert.Equal(Vip, update.Nlri[i]);
                paths[update.NlriPathIds[i]] = update.Attributes.NextHop!;
            }
        }
        return paths;
    }

    private async Task<RibEntry?> Route() =>
        (await _speaker.GetRoutesAsync()).SingleOrDefault(r => r.Prefix.Equals(IPNetwork.Parse(Vip.ToString())));

    private async Task<string[]> NextHops() => (await Route())?.NextHops.Select(h => h.ToString()).Order().ToArray() ?? [];

    private Task UntilNextHops(string[] expected) =>
        Eventually.Until(async () => (await NextHops()).SequenceEqual(expected), $"the VIP via {string.Join(", ", expected)}");

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
