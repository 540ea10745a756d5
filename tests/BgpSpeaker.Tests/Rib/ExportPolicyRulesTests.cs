using System.Net;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

/// <summary>A peer's export filters and per-peer attributes (BGPFilter export rules, nextHopMode, localPref, asPathPrepend, localASNumber).</summary>
public class ExportPolicyRulesTests
{
    private const uint LocalAs = 65000;
    private static readonly BgpPrefix Block = BgpPrefix.Parse("10.244.1.0/26");
    private static readonly ExportRules Rules = new(0x0A000001, 100);
    private static readonly IPAddress Self = IPAddress.Parse("192.0.2.100");
    private static readonly RoutePath Originated = From(PathSource.Local, new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty });
    private static readonly RoutePath FromMesh = From(Peer("192.0.2.2", LocalAs, 2, ibgp: true), Attributes(nextHop: "192.0.2.2"));

    private static ExportTarget Target(bool ibgp, ExportPolicy policy, uint localAs = LocalAs, bool client = false) =>
        new(localAs, IPAddress.Parse("192.0.2.7"), 50, ibgp, client, policy, Self, IPAddress.Parse("2001:db8::100"));

    private static BestPathResult Best(RoutePath path) => new(path, [path], DecisionReason.OnlyPath);

    [Fact]
    public void For_RejectRuleMatchesOwnBlock_NotExported()
    {
        var policy = new ExportPolicy { Rules = [new FilterRule(false, FilterAction.Reject, BgpPrefix.Parse("10.244.0.0/16"), FilterMatch.In)] };

        Assert.Null(Rules.For(Block, Best(Originated), Target(ibgp: false, policy)));
        Assert.NotNull(Rules.For(BgpPrefix.Parse("10.245.0.0/26"), Best(Originated), Target(ibgp: false, policy)));
    }

    [Fact]
    public void For_AcceptRemotePeersRule_ReadvertisesALearnedRouteTheDefaultsKeep()
    {
        var policy = new ExportPolicy { Rules = [new FilterRule(false, FilterAction.Accept, LearnedOnly: true)] };

        Assert.Null(Rules.For(Block, Best(FromMesh), Target(ibgp: false, new ExportPolicy())));
        var sent = Rules.For(Block, Best(FromMesh), Target(ibgp: false, policy))!;

        Assert.Equal(Self, sent.NextHop);
        Assert.Equal([LocalAs], sent.AsPath!.Segments[0].Asns.ToArray());
    }

    [Fact]
    public void For_AcceptRuleToTheRoutesOwnSender_StillNotExported()
    {
        var policy = new ExportPolicy { Rules = [new FilterRule(false, FilterAction.Accept)] };
        var target = new ExportTarget(LocalAs, IPAddress.Parse("192.0.2.2"), 2, true, false, policy, Self, null);

        Assert.Null(Rules.For(Block, Best(FromMesh), target));
    }

    [Fact]
    public void For_AsPathPrepend_OurAsOncePlusTheExtraCopiesTowardsEbgpOnly()
    {
        var policy = new ExportPolicy { AsPathPrepend = 2 };

        var ebgp = Rules.For(Block, Best(Originated), Target(ibgp: false, policy))!;
        var ibgp = Rules.For(Block, Best(Originated), Target(ibgp: true, policy))!;

        Assert.Equal([LocalAs, LocalAs, LocalAs], ebgp.AsPath!.Segments[0].Asns.ToArray());
        Assert.Empty(ibgp.AsPath!.Segments);
    }

    [Fact]
    public void For_PeerLocalAs_PrependedInsteadOfTheSpeakers()
    {
        var sent = Rules.For(Block, Best(Originated), Target(ibgp: false, new ExportPolicy(), localAs: 4200000001))!;

        Assert.Equal([4200000001u], sent.AsPath!.Segments[0].Asns.ToArray());
    }

    [Fact]
    public void For_LocalPreference_SetTowardsIbgpNeverSentToEbgp()
    {
        var policy = new ExportPolicy { LocalPreference = 250 };

        Assert.Equal(250u, Rules.For(Block, Best(Originated), Target(ibgp: true, policy))!.LocalPref);
        Assert.Null(Rules.For(Block, Best(Originated), Target(ibgp: false, policy))!.LocalPref);
    }

    [Theory]
    [InlineData(NextHopMode.Auto, false, "192.0.2.100")]
    [InlineData(NextHopMode.Keep, false, "192.0.2.2")]
    [InlineData(NextHopMode.Self, false, "192.0.2.100")]
    [InlineData(NextHopMode.Auto, true, "192.0.2.2")]
    [InlineData(NextHopMode.Self, true, "192.0.2.100")]
    [InlineData(NextHopMode.Keep, true, "192.0.2.2")]
    public void For_NextHopMode_LearnedRoute(NextHopMode mode, bool ibgp, string expected)
    {
        // Reflected to a client over iBGP; passed on (Learned) over eBGP.
        var policy = new ExportPolicy { Learned = true, NextHopMode = mode };

        var sent = Rules.For(Block, Best(FromMesh), Target(ibgp, policy, client: true))!;

        Assert.Equal(IPAddress.Parse(expected), sent.NextHop);
    }

    [Fact]
    public void For_NextHopKeep_OriginatedRouteStillSelf()
    {
        var sent = Rules.For(Block, Best(Originated), Target(ibgp: false, new ExportPolicy { NextHopMode = NextHopMode.Keep }))!;

        Assert.Equal(Self, sent.NextHop);
    }
}
