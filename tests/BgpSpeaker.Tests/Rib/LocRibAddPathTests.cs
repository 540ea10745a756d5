using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

/// <summary>
/// ADD-PATH receive (RFC 7911) in the Loc-RIB: each path a peer sends under its own identifier is a
/// candidate of its own (<see cref="RoutePath.PathId"/>), replaced and removed by that identifier
/// alone, so a reflector's several next hops of one prefix reach the decision and its ECMP set.
/// </summary>
public class LocRibAddPathTests
{
    private static readonly BgpPrefix Vip = BgpPrefix.Parse("198.51.100.10/32");
    private static readonly PathSource Reflector = Peer("192.0.2.100", 64500, 100);

    [Fact]
    public void Set_TwoPathIdsFromOnePeer_BothCandidatesAndBothInTheMultipathSet()
    {
        var rib = new LocRib(new BestPathSelector(4));
        var a = Via("192.0.2.2", pathId: 7);
        var b = Via("192.0.2.3", pathId: 5);

        rib.Set(Vip, a);
        Assert.True(rib.Set(Vip, b));

        Assert.Equal(2, rib.Candidates(Vip).Count);
        var best = rib.Best(Vip)!;
        // Equal in every step: the lower identifier leads, whichever came first.
        Assert.Same(b, best.Best);
        Assert.Equal([b, a], best.Multipath);
        Assert.Equal(DecisionReason.PathId, best.Reason);
    }

    [Fact]
    public void Set_SamePathIdAgain_ReplacesOnlyThatPath()
    {
        var rib = new LocRib(new BestPathSelector(4));
        var a = Via("192.0.2.2", pathId: 7);
        rib.Set(Vip, a);
        rib.Set(Vip, Via("192.0.2.3", pathId: 8));
        var moved = Via("192.0.2.4", pathId: 7);

        Assert.True(rib.Set(Vip, moved, out var replaced));

        Assert.Same(a, replaced);
        Assert.Equal(["192.0.2.3", "192.0.2.4"], rib.Candidates(Vip).Select(p => p.Attributes.NextHop!.ToString()).Order().ToArray());
    }

    [Fact]
    public void Remove_ByPathId_LeavesThePeersOtherPath()
    {
        var rib = new LocRib(new BestPathSelector(4));
        rib.Set(Vip, Via("192.0.2.2", pathId: 7));
        var kept = Via("192.0.2.3", pathId: 8);
        rib.Set(Vip, kept);

        Assert.True(rib.Remove(Vip, Reflector.PeerAddress, pathId: 7, out var removed));

        Assert.Equal("192.0.2.2", removed!.Attributes.NextHop!.ToString());
        Assert.Equal([kept], rib.Best(Vip)!.Multipath);
        // An identifier the peer never used, or the one without ADD-PATH, removes nothing.
        Assert.False(rib.Remove(Vip, Reflector.PeerAddress, pathId: 9, out removed));
        Assert.Null(removed);
        Assert.False(rib.Remove(Vip, Reflector.PeerAddress, pathId: 0, out _));
        Assert.Single(rib.Candidates(Vip));
    }

    [Fact]
    public void PathsFrom_PeerWithSeveralPathsOfAPrefix_YieldsEachOnce()
    {
        var rib = new LocRib(new BestPathSelector(4));
        var other = From(Peer("192.0.2.101", 64501, 101), Attributes(nextHop: "192.0.2.9"));
        rib.Set(Vip, Via("192.0.2.2", pathId: 7));
        rib.Set(Vip, other);
        rib.Set(Vip, Via("192.0.2.3", pathId: 8));
        var lone = BgpPrefix.Parse("198.51.100.11/32");
        rib.Set(lone, Via("192.0.2.2", pathId: 7));

        var paths = rib.PathsFrom(Reflector.PeerAddress).Select(p => $"{p.Key} {p.Value.PathId}").Order().ToArray();

        Assert.Equal(["198.51.100.10/32 7", "198.51.100.10/32 8", "198.51.100.11/32 7"], paths);
    }

    [Fact]
    public void Set_PathWithoutAddPath_StillOnePerPeer()
    {
        // The peer's session went from ADD-PATH to none (or the reverse): a path without an
        // identifier stands beside those with one until swept, and replaces only its like.
        var rib = new LocRib(new BestPathSelector(4));
        rib.Set(Vip, Via("192.0.2.2", pathId: 7));
        rib.Set(Vip, Via("192.0.2.3", pathId: 0));
        rib.Set(Vip, Via("192.0.2.4", pathId: 0));

        Assert.Equal(["192.0.2.2", "192.0.2.4"], rib.Candidates(Vip).Select(p => p.Attributes.NextHop!.ToString()).Order().ToArray());
    }

    private static RoutePath Via(string nextHop, uint pathId) => new(Reflector, Attributes(nextHop: nextHop)) { PathId = pathId };
}
