using System.Net;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

public class LocRibTests
{
    private static readonly BgpPrefix Prefix = BgpPrefix.Parse("10.244.1.0/26");

    [Fact]
    public void Set_SecondPathFromSamePeer_ReplacesFirst()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var source = Peer("192.0.2.1", 65001, 1);
        rib.Set(Prefix, From(source, Attributes(nextHop: "192.0.2.1")));
        var newer = From(source, Attributes(nextHop: "192.0.2.99"));

        Assert.True(rib.Set(Prefix, newer));
        Assert.Single(rib.Candidates(Prefix));
        Assert.Same(newer, rib.Best(Prefix)!.Best);
    }

    [Fact]
    public void Set_WorsePathFromOtherPeer_DecisionUnchanged()
    {
        var rib = new LocRib(new BestPathSelector(1));
        rib.Set(Prefix, From(Peer("192.0.2.1", 65001, 1), Attributes(asPath: [65001])));
        Assert.False(rib.Set(Prefix, From(Peer("192.0.2.2", 65002, 2), Attributes(asPath: [65002, 65003]))));
    }

    [Fact]
    public void Remove_BestPath_FallsBackToNext()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var a = Peer("192.0.2.1", 65001, 1);
        var backup = From(Peer("192.0.2.2", 65002, 2), Attributes(asPath: [65002, 65003]));
        rib.Set(Prefix, From(a, Attributes(asPath: [65001])));
        rib.Set(Prefix, backup);

        Assert.True(rib.Remove(Prefix, a));
        Assert.Same(backup, rib.Best(Prefix)!.Best);
        Assert.Equal(DecisionReason.OnlyPath, rib.Best(Prefix)!.Reason);
    }

    [Fact]
    public void Remove_LastPath_PrefixGone()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var a = Peer("192.0.2.1", 65001, 1);
        rib.Set(Prefix, From(a, Attributes()));
        Assert.True(rib.Remove(Prefix, a));
        Assert.Null(rib.Best(Prefix));
        Assert.Equal(0, rib.Count);
    }

    [Fact]
    public void Remove_MiddleOfThreeCandidates_OthersKeptInOrder()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var first = From(Peer("192.0.2.1", 65001, 1), Attributes());
        var middle = Peer("192.0.2.2", 65002, 2);
        var last = From(Peer("192.0.2.3", 65003, 3), Attributes());
        rib.Set(Prefix, first);
        rib.Set(Prefix, From(middle, Attributes()));
        rib.Set(Prefix, last);

        rib.Remove(Prefix, middle);

        Assert.Equal([first, last], rib.Candidates(Prefix));
    }

    [Fact]
    public void TakeDecision_LastPathRemoved_PrefixForgottenOnceTheWithdrawalIsTaken()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var a = Peer("192.0.2.1", 65001, 1);
        var path = From(a, Attributes());
        rib.Set(Prefix, path);
        Assert.Same(path, rib.TakeDecision(Prefix, out var wasInstalled)!.Best);
        Assert.False(wasInstalled);
        Assert.NotNull(rib.TakeDecision(Prefix, out wasInstalled));
        Assert.True(wasInstalled);

        Assert.True(rib.Remove(Prefix, a));
        Assert.Null(rib.Best(Prefix));
        Assert.Equal(1, rib.Count);

        Assert.Null(rib.TakeDecision(Prefix, out wasInstalled));
        Assert.True(wasInstalled);
        Assert.Equal(0, rib.Count);
        Assert.Null(rib.TakeDecision(Prefix, out wasInstalled));
        Assert.False(wasInstalled);
    }

    [Fact]
    public void Set_NewSessionOfSamePeer_ReplacesStalePath()
    {
        var rib = new LocRib(new BestPathSelector(1));
        var stale = From(Peer("192.0.2.1", 65001, 1), Attributes());
        stale.IsStale = true;
        rib.Set(Prefix, stale);
        var relearned = From(Peer("192.0.2.1", 65001, 1), Attributes());

        rib.Set(Prefix, relearned);

        Assert.Single(rib.Candidates(Prefix));
        Assert.False(rib.Best(Prefix)!.Best.IsStale);
    }
}
