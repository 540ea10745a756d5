using System.Net;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

public class ExportRulesTests
{
    private const uint LocalAs = 65000;
    private const uint ClusterId = 0x0A000001;
    private static readonly BgpPrefix Prefix = BgpPrefix.Parse("10.244.1.0/26");
    private static readonly ExportRules Rules = new(ClusterId, 100);
    private static readonly ExportPolicy Reflect = new() { Learned = true };

    private static ExportTarget Target(string address, bool ibgp, bool client = false, ExportPolicy? policy = null, uint routerId = 50) =>
        new(LocalAs, IPAddress.Parse(address), routerId, ibgp, client, policy ?? new ExportPolicy(), IPAddress.Parse("192.0.2.100"), IPAddress.Parse("2001:db8::100"));

    private static BestPathResult Best(RoutePath path) => new(path, [path], DecisionReason.OnlyPath);

    private static readonly RoutePath Originated = From(PathSource.Local, new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty });

    [Fact]
    public void For_OriginatedToEbgp_PrependsOurAsAndSetsNextHopSelf()
    {
        var sent = Rules.For(Prefix, Best(Originated), Target("192.0.2.7", ibgp: false))!;
        Assert.Equal([LocalAs], sent.AsPath!.Segments[0].Asns.ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.100"), sent.NextHop);
        Assert.Null(sent.LocalPref);
    }

    [Fact]
    public void For_OriginatedToIbgp_NextHopSelfWithLocalPreference()
    {
        var sent = Rules.For(Prefix, Best(Originated), Target("192.0.2.7", ibgp: true))!;
        Assert.Empty(sent.AsPath!.Segments);
        Assert.Equal(IPAddress.Parse("192.0.2.100"), sent.NextHop);
        Assert.Equal(100u, sent.LocalPref);
    }

    [Fact]
    public void For_Ipv6Prefix_UsesIpv6NextHop()
    {
        var sent = Rules.For(BgpPrefix.Parse("fd00:244::/122"), Best(Originated), Target("192.0.2.7", ibgp: true))!;
        Assert.Equal(IPAddress.Parse("2001:db8::100"), sent.NextHop);
    }

    [Fact]
    public void For_LearnedRouteByDefault_NotExported()
    {
        var learned = From(Peer("192.0.2.1", 65001, 1), Attributes(asPath: [65001]));
        Assert.Null(Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: false)));
    }

    [Fact]
    public void For_RouteBackToItsSource_NotExported()
    {
        var learned = From(Peer("192.0.2.1", 65001, 1), Attributes(asPath: [65001]));
        Assert.Null(Rules.For(Prefix, Best(learned), Target("192.0.2.1", ibgp: false, policy: Reflect)));
    }

    [Fact]
    public void For_IbgpFromNonClientToNonClient_SplitHorizon()
    {
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true), Attributes());
        Assert.Null(Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: true, policy: Reflect)));
    }

    [Fact]
    public void For_IbgpFromNonClientToClient_ReflectedWithOriginatorAndCluster()
    {
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true), Attributes());
        var sent = Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: true, client: true, policy: Reflect))!;
        Assert.Equal(1u, sent.OriginatorId);
        Assert.Equal([ClusterId], sent.ClusterList.ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.1"), sent.NextHop);
    }

    [Fact]
    public void For_IbgpFromClientToNonClient_ReflectedKeepingExistingOriginator()
    {
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true, client: true), Attributes(originatorId: 42, clusterList: [7]));
        var sent = Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: true, policy: Reflect))!;
        Assert.Equal(42u, sent.OriginatorId);
        Assert.Equal([ClusterId, 7u], sent.ClusterList.ToArray());
    }

    [Fact]
    public void For_ReflectedToItsOriginator_NotExported()
    {
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true, client: true), Attributes(originatorId: 50));
        Assert.Null(Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: true, client: true, policy: Reflect, routerId: 50)));
    }

    [Fact]
    public void For_EbgpLearnedToOtherEbgp_MedAndLocalPrefStripped()
    {
        var learned = From(Peer("192.0.2.1", 65001, 1), Attributes(asPath: [65001], med: 5, originatorId: 3, clusterList: [9]));
        var sent = Rules.For(Prefix, Best(learned), Target("192.0.2.7", ibgp: false, policy: Reflect))!;
        Assert.Null(sent.MultiExitDisc);
        Assert.Null(sent.LocalPref);
        Assert.Null(sent.OriginatorId);
        Assert.Empty(sent.ClusterList.ToArray());
        Assert.Equal([LocalAs, 65001u], sent.AsPath!.Segments[0].Asns.ToArray());
    }

    [Fact]
    public void For_PrefixOutsideExportFilter_NotExported()
    {
        var policy = new ExportPolicy { Allowed = [PrefixRange.Parse("10.245.0.0/16 le 32")] };
        Assert.Null(Rules.For(Prefix, Best(Originated), Target("192.0.2.7", ibgp: false, policy: policy)));
    }

    [Fact]
    public void For_CommunitiesConfigured_Added()
    {
        var policy = new ExportPolicy { AddCommunities = [(65000u << 16) | 100], AddLargeCommunities = [new LargeCommunity(65000, 1, 2)] };
        var sent = Rules.For(Prefix, Best(Originated), Target("192.0.2.7", ibgp: false, policy: policy))!;
        Assert.Equal([(65000u << 16) | 100], sent.Communities.ToArray());
        Assert.Equal([new LargeCommunity(65000, 1, 2)], sent.LargeCommunities.ToArray());
    }
}
