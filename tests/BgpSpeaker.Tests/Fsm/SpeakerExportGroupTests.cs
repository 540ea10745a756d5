using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// A route reflector's clients share one export group (one Adj-RIB-Out, each UPDATE encoded once),
/// yet each still gets exactly its own view: never its own routes back, every other client's,
/// a table on joining that leaves out its own, and its own view again when its policy changes.
/// </summary>
public sealed class SpeakerExportGroupTests : IAsyncDisposable
{
    private const uint ClusterAs = ReflectorPeers.ClusterAs;
    private static readonly BgpPrefix BlockA = BgpPrefix.Parse("10.244.1.0/26");
    private static readonly BgpPrefix BlockB = BgpPrefix.Parse("10.244.2.0/26");
    private static readonly BgpPrefix BlockC = BgpPrefix.Parse("10.244.3.0/26");
    private static readonly BgpCodecContext Internal = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: false);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerExportGroupTests()
    {
        _speaker = new BgpSpeaker(
            new BgpGlobalOptions { LocalAs = ClusterAs, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null },
            null,
            _time,
            _transport);
    }

    [Fact]
    public async Task Reflector_ClientsShareAGroup_EachGetsTheOthersRoutesNeverItsOwn()
    {
        var (a, b, c) = await ThreeClientsAWithBlockAAsync();

        // The next UPDATE a receives is b's block: its own was never sent back to it.
        await b.SendAsync(ReflectorPeers.Announce(BlockB, "192.0.2.3"));
        Assert.Equal([BlockB], await AnnouncedAsync(a));
        Assert.Equal([BlockB], await AnnouncedAsync(c));

        await a.SendAsync(new UpdateMessage(withdrawnRoutes: [BlockA]));
        Assert.Equal([BlockA], await WithdrawnAsync(b));
        Assert.Equal([BlockA], await WithdrawnAsync(c));
        await c.SendAsync(ReflectorPeers.Announce(BlockC, "192.0.2.4"));
        Assert.Equal([BlockC], await AnnouncedAsync(a));   // not a withdrawal of a block it never had

        var counts = (await _speaker.GetPeersAsync()).ToDictionary(p => p.Address.ToString(), p => p.PrefixesOut);
        Assert.Equal(2, counts["192.0.2.2"]);   // b's and c's
        Assert.Equal(1, counts["192.0.2.3"]);   // c's
        Assert.Equal(1, counts["192.0.2.4"]);   // b's
    }

    [Fact]
    public async Task Reflector_ClientJoinsLater_GetsTheTableWithoutItsOwnRoute()
    {
        await _speaker.StartAsync();
        var a = await ConnectAsync("192.0.2.2", 0x0a000002);
        // As if a had it from another reflector: ORIGINATOR_ID names the router that first announced it.
        await a.SendAsync(ReflectorPeers.Announce(BlockA, "192.0.2.2", originatorId: 0x0a000009));
        // b must join after the speaker took a's UPDATE, or its table is empty and the block comes after End-of-RIB.
        await Eventually.Until(async () => (await _speaker.GetRoutesAsync()).Count == 1, "a's block in the RIB");
        var b = await ConnectAsync("192.0.2.3", 0x0a000003, endOfRibFirst: false);
        Assert.Equal([BlockA], await AnnouncedAsync(b));
        await b.ExpectAsync(BgpMessageType.Update);   // End-of-RIB
        await b.ExpectAsync(BgpMessageType.Update);
        await b.SendAsync(ReflectorPeers.Announce(BlockB, "192.0.2.3"));
        Assert.Equal([BlockB], await AnnouncedAsync(a));

        // c is that router: a path naming it as ORIGINATOR_ID is not reflected to it (RFC 4456 §8).
        var c = await ConnectAsync("192.0.2.4", 0x0a000009, endOfRibFirst: false);
        Assert.Equal([BlockB], await AnnouncedAsync(c));
        var endOfRib = await c.ExpectAsync(BgpMessageType.Update);
        Assert.True(UpdateMessage.TryRead(endOfRib, Internal, out var update, out _));
        Assert.Empty(update!.Nlri);
    }

    [Fact]
    public async Task Reflector_ClientsJoinBetweenChanges_EachGetsExactlyTheTableOfItsTime()
    {
        // The group's grouped table is kept from one join to the next: a new prefix is added to
        // it, a prefix joining an attribute set already encoded or a withdrawal makes it start over.
        var blockD = BgpPrefix.Parse("10.244.4.0/26");
        await _speaker.StartAsync();
        var a = await ConnectAsync("192.0.2.2", 0x0a000002);
        await a.SendAsync(ReflectorPeers.Announce(BlockA, "192.0.2.2"));
        await RoutesAsync(1);
        var b = await ConnectAsync("192.0.2.3", 0x0a000003, endOfRibFirst: false);
        Assert.Equal([BlockA], await TableAsync(b));

        await b.SendAsync(ReflectorPeers.Announce(BlockB, "192.0.2.3"));
        await RoutesAsync(2);
        var c = await ConnectAsync("192.0.2.4", 0x0a000004, endOfRibFirst: false);
        Assert.Equal([BlockA, BlockB], await TableAsync(c));

        // Same attributes as a's block A: the UPDATE encoded for A alone must not go out again.
        await a.SendAsync(ReflectorPeers.Announce(BlockC, "192.0.2.2"));
        await RoutesAsync(3);
        var d = await ConnectAsync("192.0.2.5", 0x0a000005, endOfRibFirst: false);
        Assert.Equal([BlockA, BlockB, BlockC], await TableAsync(d));

        await b.SendAsync(new UpdateMessage(withdrawnRoutes: [BlockB]));
        await d.SendAsync(ReflectorPeers.Announce(blockD, "192.0.2.5"));
        await Eventually.Until(async () => (await _speaker.GetRoutesAsync()).Select(r => r.Prefix.ToString()).Order().SequenceEqual(["10.244.1.0/26", "10.244.3.0/26", "10.244.4.0/26"]), "B withdrawn, D announced");
        var e = await ConnectAsync("192.0.2.6", 0x0a000006, endOfRibFirst: false);
        Assert.Equal([BlockA, BlockC, blockD], await TableAsync(e));
    }

    [Fact]
    public async Task Reflector_ClientPolicyChanges_ItAloneGetsTheWithdrawal()
    {
        var (a, b, c) = await ThreeClientsAWithBlockAAsync();

        await _speaker.UpdatePeerAsync(ReflectorPeers.Client("192.0.2.3") with
        {
            Export = new ExportPolicy { Learned = true, Rules = [new FilterRule(false, FilterAction.Reject, BlockA, FilterMatch.Equal)] },
        });
        Assert.Equal([BlockA], await WithdrawnAsync(b));

        await a.SendAsync(ReflectorPeers.Announce(BlockB, "192.0.2.2"));
        Assert.Equal([BlockB], await AnnouncedAsync(c));   // c got nothing for the policy change
        Assert.Equal([BlockB], await AnnouncedAsync(b));
    }

    /// <summary>Clients a, b and c Established; a announced <see cref="BlockA"/> and b and c have it.</summary>
    private async Task<(FakePeer A, FakePeer B, FakePeer C)> ThreeClientsAWithBlockAAsync()
    {
        await _speaker.StartAsync();
        var a = await ConnectAsync("192.0.2.2", 0x0a000002);
        var b = await ConnectAsync("192.0.2.3", 0x0a000003);
        var c = await ConnectAsync("192.0.2.4", 0x0a000004);
        await a.SendAsync(ReflectorPeers.Announce(BlockA, "192.0.2.2"));
        Assert.Equal([BlockA], await AnnouncedAsync(b));
        Assert.Equal([BlockA], await AnnouncedAsync(c));
        return (a, b, c);
    }

    private async Task<FakePeer> ConnectAsync(string address, uint routerId, bool endOfRibFirst = true)
    {
        await _speaker.AddPeerAsync(ReflectorPeers.Client(address));
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(ClusterAs, routerId);
        if (endOfRibFirst)
        {
            await peer.ExpectAsync(BgpMessageType.Update);
            await peer.ExpectAsync(BgpMessageType.Update);
        }
        return peer;
    }

    private async Task RoutesAsync(int count) =>
        await Eventually.Until(async () => (await _speaker.GetRoutesAsync()).Count == count, $"{count} routes in the RIB");

    /// <summary>A joining client's table: every prefix announced before End-of-RIB, each once, in prefix order.</summary>
    private static async Task<BgpPrefix[]> TableAsync(FakePeer peer)
    {
        var prefixes = new List<BgpPrefix>();
        while (true)
        {
            Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), Internal, out var update, out var error), error.ToString());
            Assert.Empty(update!.WithdrawnRoutes);
            if (update.Nlri.Length == 0)
            {
                return [.. prefixes.Order()];
            }
            prefixes.AddRange(update.Nlri);
        }
    }

    private static async Task<BgpPrefix[]> AnnouncedAsync(FakePeer peer)
    {
        Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), Internal, out var update, out var error), error.ToString());
        Assert.Empty(update!.WithdrawnRoutes);
        return [.. update.Nlri];
    }

    private static async Task<BgpPrefix[]> WithdrawnAsync(FakePeer peer)
    {
        Assert.True(UpdateMessage.TryRead(await peer.ExpectAsync(BgpMessageType.Update), Internal, out var update, out var error), error.ToString());
        Assert.Empty(update!.Nlri);
        return [.. update.WithdrawnRoutes];
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
