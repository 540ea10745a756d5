using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.Interop.GoBgpBackend;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPFilter with `--bgp-backend gobgp` (the agent drives a gobgpd of its own in the node's
/// namespace, which holds the session) and BIRD as the top-of-rack router: the ToR's default route
/// accepted by an import rule and installed, a foreign /26 inside the pool rejected and counted as
/// filtered; negated operators with prefixLength deciding as with the built-in speaker (the same
/// test runs on both); an export rule added while the session is up taking the block from BIRD
/// without resetting the session, and removed again giving it back.
/// </summary>
public sealed class AgentBgpFilterGoBgpBackendTests
{
    private const uint TorAs = 65002;

    [Fact]
    public async Task GoBgpBackend_ImportFilter_DefaultRouteInstalledPoolLeakRejectedAndCounted()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig($$"""
            protocol static rack {
                ipv4;
                route 0.0.0.0/0 blackhole;
                route {{FilterAgent.RackPrefix}} blackhole;
                route {{FilterAgent.ForeignInPool}} blackhole;
            }
            """, TorAs, FilterAgent.AgentAs));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { Filters = ["tor-in"] }, FilterAgent.TorIn, TorAs, agentArgs: GoBgpBackendArgs(gobgpd));

        await FilterAgent.AssertTorInAppliedAsync(link, agent, countsRejections: false);
        // Refused by gobgpd itself, not only kept from the kernel.
        Assert.DoesNotContain(FilterAgent.ForeignInPool, gobgpd.Cli("global", "rib", "-a", "ipv4").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NegatedRulesWithPrefixLength_SameDecisionsOnBothBackends(bool gobgp)
    {
        string[] installed = ["10.30.0.0/25", "10.20.0.0/16", "10.10.5.0/24"];
        string[] rejected = ["10.20.1.0/24", "10.30.0.0/24"];
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig(
            $"protocol static rack {{ ipv4; {string.Concat(installed.Concat(rejected).Select(p => $"route {p} blackhole; "))}}}", TorAs, FilterAgent.AgentAs));
        using var gobgpd = gobgp ? await GoBgpDaemon.StartAsync(link.Ours) : null;
        var filter = new BGPFilter
        {
            Metadata = new ObjectMeta { Name = "negated" },
            Spec = new BGPFilterSpec
            {
                ImportV4 =
                [
                    // Anything but that /24, 25 bits or longer: only 10.30.0.0/25 here.
                    new BGPFilterRule { Cidr = "10.30.0.0/24", MatchOperator = "NotEqual", PrefixLength = new BGPFilterPrefixLength { Min = 25 }, Action = "Accept" },
                    // Outside 10.10.0.0/16 and 24 bits or longer: 10.20.1.0/24 and 10.30.0.0/24 (its /25 was taken above).
                    new BGPFilterRule { Cidr = "10.10.0.0/16", MatchOperator = "NotIn", PrefixLength = new BGPFilterPrefixLength { Min = 24, Max = 32 }, Action = "Reject" },
                ],
            },
        };
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { Filters = ["negated"] }, filter, TorAs, agentArgs: gobgpd is null ? null : GoBgpBackendArgs(gobgpd));

        foreach (var prefix in installed)
        {
            await Eventually.Until(() => FilterAgent.IsVia(link.Ours, prefix), $"{prefix} (no rule, or an Accept) in the kernel (agent log: {agent.LogPath})");
        }
        await FilterAgent.CountersWhenAsync(agent, c => c.GetProperty("prefixesFiltered").GetInt32() == rejected.Length, $"{rejected.Length} prefixes counted as filtered");
        Assert.All(rejected, prefix => Assert.Equal("", FilterAgent.Route(link.Ours, prefix)));
    }

    [Fact]
    public async Task GoBgpBackend_ExportRuleChangedWhileEstablished_BlockWithdrawnAndBackSessionKept()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig("", TorAs, FilterAgent.AgentAs));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec(), filter: null, TorAs, secondBlock: true, agentArgs: GoBgpBackendArgs(gobgpd));
        await Eventually.Until(() => bird.HasRoute(FilterAgent.SecondBlock, "agent") && bird.HasRoute(FilterAgent.OwnBlock, "agent"), $"BIRD to learn both blocks (agent log: {agent.LogPath})");
        var session = SessionLine(bird);

        await using (var store = await StoreFactory.OpenAsync(agent.Datastore))
        {
            await store.CreateAsync(new BGPFilter
            {
                Metadata = new ObjectMeta { Name = "keep-second" },
                Spec = new BGPFilterSpec { ExportV4 = [new BGPFilterRule { Cidr = FilterAgent.SecondBlock, MatchOperator = "Equal", Action = "Reject" }] },
            });
            var peer = await store.GetAsync<BGPPeer>("tor");
            await store.UpdateAsync(peer with { Spec = peer.Spec with { Filters = ["keep-second"] } });
        }
        await Eventually.Until(() => !bird.HasRoute(FilterAgent.SecondBlock, "agent"), $"BIRD to lose {FilterAgent.SecondBlock} once an export rule rejects it");
        Assert.True(bird.HasRoute(FilterAgent.OwnBlock, "agent"), bird.Cli("show route"));

        await using (var store = await StoreFactory.OpenAsync(agent.Datastore))
        {
            var peer = await store.GetAsync<BGPPeer>("tor");
            await store.UpdateAsync(peer with { Spec = peer.Spec with { Filters = [] } });
            await store.DeleteAsync<BGPFilter>("keep-second");
        }
        await Eventually.Until(() => bird.HasRoute(FilterAgent.SecondBlock, "agent"), $"BIRD to learn {FilterAgent.SecondBlock} again once the rule is gone");
        // The same session throughout: the filter is gobgpd's policy, not a session setting.
        AssertSameSession(session, SessionLine(bird));
    }

    // BIRD prints when the session last changed state from two clocks, so the same instant reads
    // a millisecond apart between two `show protocols` (…40.230, then …40.229): the rest of the
    // line must be equal and the time within 5 ms, far less than a session takes to go down and
    // come back.
    private static void AssertSameSession(string before, string after)
    {
        static (string Others, TimeOnly Since) Split(string line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var since = Array.FindIndex(fields, f => TimeOnly.TryParse(f, System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.True(since >= 0, $"no time in BIRD's line: {line}");
            return (string.Join(' ', fields.Where((_, i) => i != since)), TimeOnly.Parse(fields[since], System.Globalization.CultureInfo.InvariantCulture));
        }
        var (othersBefore, sinceBefore) = Split(before);
        var (othersAfter, sinceAfter) = Split(after);
        Assert.Equal(othersBefore, othersAfter);
        Assert.True(Math.Abs((sinceAfter - sinceBefore).TotalMilliseconds) <= 5, $"the session changed state: {before} -> {after}");
    }

    private static string[] GoBgpBackendArgs(GoBgpDaemon gobgpd) => ["--bgp-backend", "gobgp", "--gobgp-api", gobgpd.Api];

    /// <summary>BIRD's line for the session, whose time column is when it last changed state.</summary>
    private static string SessionLine(BirdPeer bird) =>
        bird.Cli("show protocols agent").Split('\n').First(l => l.StartsWith("agent", StringComparison.Ordinal)).Trim();
}
