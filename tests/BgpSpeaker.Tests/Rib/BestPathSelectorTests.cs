using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

public class BestPathSelectorTests
{
    private static readonly PathSource A = Peer("192.0.2.1", 65001, 1);
    private static readonly PathSource B = Peer("192.0.2.2", 65002, 2);
    private static readonly PathSource C = Peer("192.0.2.3", 65001, 3);
    private static readonly PathSource IbgpD = Peer("192.0.2.4", 65000, 4, ibgp: true);

    private static BestPathResult Select(int maxPaths, params RoutePath[] paths) => new BestPathSelector(maxPaths).Select(paths)!;

    [Fact]
    public void Select_SinglePath_OnlyPath()
    {
        var only = From(A, Attributes());
        var result = Select(1, only);
        Assert.Same(only, result.Best);
        Assert.Equal(DecisionReason.OnlyPath, result.Reason);
    }

    [Fact]
    public void Select_HigherLocalPreference_WinsOverShorterAsPath()
    {
        var high = From(A, Attributes(localPref: 200, asPath: [65001, 65005, 65006]));
        var shortPath = From(B, Attributes(localPref: 100, asPath: [65002]));
        var result = Select(1, shortPath, high);
        Assert.Same(high, result.Best);
        Assert.Equal(DecisionReason.LocalPreference, result.Reason);
    }

    [Fact]
    public void Select_LocallyOriginated_BeatsLearned()
    {
        var local = From(PathSource.Local, Attributes());
        var learned = From(A, Attributes(asPath: [65001]));
        Assert.Same(local, Select(1, learned, local).Best);
        Assert.Equal(DecisionReason.LocallyOriginated, Select(1, learned, local).Reason);
    }

    [Fact]
    public void Select_ShorterAsPath_Wins()
    {
        var shorter = From(B, Attributes(asPath: [65002]));
        var longer = From(A, Attributes(asPath: [65001, 65003]));
        var result = Select(1, longer, shorter);
        Assert.Same(shorter, result.Best);
        Assert.Equal(DecisionReason.AsPathLength, result.Reason);
    }

    [Fact]
    public void Select_LowerOrigin_Wins()
    {
        var igp = From(B, Attributes(asPath: [65002], origin: Origin.Igp));
        var incomplete = From(A, Attributes(asPath: [65001], origin: Origin.Incomplete));
        var result = Select(1, incomplete, igp);
        Assert.Same(igp, result.Best);
        Assert.Equal(DecisionReason.Origin, result.Reason);
    }

    [Fact]
    public void Select_LowerMedSameNeighbourAs_Wins()
    {
        var lowMed = From(C, Attributes(asPath: [65001], med: 10));
        var highMed = From(A, Attributes(asPath: [65001], med: 50));
        var result = Select(1, highMed, lowMed);
        Assert.Same(lowMed, result.Best);
        Assert.Equal(DecisionReason.MultiExitDisc, result.Reason);
    }

    [Fact]
    public void Select_MedFromDifferentNeighbourAs_IsNotCompared()
    {
        // B has the worse MED but a different neighbour AS: MED is skipped, router id decides (A = 1 wins).
        var a = From(A, Attributes(asPath: [65001], med: 50));
        var b = From(B, Attributes(asPath: [65002], med: 10));
        var result = Select(1, b, a);
        Assert.Same(a, result.Best);
        Assert.Equal(DecisionReason.RouterId, result.Reason);
    }

    [Fact]
    public void Select_External_WinsOverInternal()
    {
        var internalPath = From(IbgpD, Attributes(asPath: [65009]));
        var externalPath = From(B, Attributes(asPath: [65002]));
        var result = Select(1, internalPath, externalPath);
        Assert.Same(externalPath, result.Best);
        Assert.Equal(DecisionReason.ExternalOverInternal, result.Reason);
    }

    [Fact]
    public void Select_LowerIgpCost_Wins()
    {
        var near = From(C, Attributes(asPath: [65001]), igpCost: 5);
        var far = From(A, Attributes(asPath: [65001]), igpCost: 20);
        var result = Select(1, far, near);
        Assert.Same(near, result.Best);
        Assert.Equal(DecisionReason.IgpCost, result.Reason);
    }

    [Fact]
    public void Select_OriginatorId_UsedInPlaceOfRouterId()
    {
        var reflectedFromLowOriginator = From(Peer("192.0.2.9", 65000, 9, ibgp: true), Attributes(originatorId: 1));
        var direct = From(Peer("192.0.2.5", 65000, 5, ibgp: true), Attributes());
        var result = Select(1, direct, reflectedFromLowOriginator);
        Assert.Same(reflectedFromLowOriginator, result.Best);
        Assert.Equal(DecisionReason.RouterId, result.Reason);
    }

    [Fact]
    public void Select_ShorterClusterList_WinsWhenOriginatorTies()
    {
        var shortList = From(Peer("192.0.2.9", 65000, 9, ibgp: true), Attributes(originatorId: 7, clusterList: [1]));
        var longList = From(Peer("192.0.2.5", 65000, 5, ibgp: true), Attributes(originatorId: 7, clusterList: [1, 2]));
        var result = Select(1, longList, shortList);
        Assert.Same(shortList, result.Best);
        Assert.Equal(DecisionReason.ClusterListLength, result.Reason);
    }

    [Fact]
    public void Select_EverythingTies_LowerPeerAddressWins()
    {
        var low = From(Peer("192.0.2.1", 65000, 7, ibgp: true), Attributes(originatorId: 7));
        var high = From(Peer("192.0.2.200", 65000, 7, ibgp: true), Attributes(originatorId: 7));
        var result = Select(1, high, low);
        Assert.Same(low, result.Best);
        Assert.Equal(DecisionReason.PeerAddress, result.Reason);
    }

    [Fact]
    public void Select_EqualUpToRouterId_FormsEcmpSetUpToMaxPaths()
    {
        var a = From(A, Attributes(asPath: [65001], nextHop: "192.0.2.1"));
        var b = From(B, Attributes(asPath: [65002], nextHop: "192.0.2.2"));
        var c = From(C, Attributes(asPath: [65001], nextHop: "192.0.2.3"));
        var worse = From(Peer("192.0.2.8", 65008, 8), Attributes(asPath: [65008, 1]));

        var result = Select(2, c, worse, b, a);

        Assert.Same(a, result.Best);
        Assert.Equal([a, b], result.Multipath);
    }

    [Fact]
    public void Select_MaxPathsOne_NoEcmp()
    {
        var a = From(A, Attributes(asPath: [65001]));
        var b = From(B, Attributes(asPath: [65002]));
        Assert.Equal([a], Select(1, b, a).Multipath);
    }
}
