using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPFilter and BGPPeer's policy fields with BIRD as the top-of-rack router of `routednet-node`
/// (the published binary): the ToR's default route accepted by an import rule and installed in
/// the node's kernel; a foreign prefix inside the pool rejected, shown as filtered by `bgp peers`;
/// an export rule keeping a block from the ToR; AS-path prepend and a per-peer local AS as BIRD
/// receives them; LOCAL_PREF on an iBGP ToR; our own AS in the ToR's path taken only with
/// numAllowedLocalASNumbers; GTSM refusing a peer whose packets arrive one hop too far.
/// Assertions are on the kernel as `ip route` prints it and on BIRD's own view.
/// </summary>
public sealed class AgentBgpFilterBirdTests
{
    private const uint TorAs = 65002;

    private const uint AgentAs = FilterAgent.AgentAs;
    private const string OwnBlock = FilterAgent.OwnBlock;
    private const string SecondBlock = FilterAgent.SecondBlock;
    private const string ForeignInPool = FilterAgent.ForeignInPool;
    private const string RackPrefix = FilterAgent.RackPrefix;

    private static string BirdConfig(string staticRoutes, uint torAs = TorAs, uint agentAs = AgentAs, string extra = "") =>
        BirdPeer.TorConfig(staticRoutes, torAs, agentAs, extra);

    [Fact]
    public async Task Agent_ImportFilter_DefaultRouteInstalledPoolLeakRejectedAndCounted()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig($$"""
            protocol static rack {
                ipv4;
                route 0.0.0.0/0 blackhole;
                route {{RackPrefix}} blackhole;
                route {{ForeignInPool}} blackhole;
            }
            """));
        using var agent = await StartAgentAsync(link, new BGPPeerSpec { Filters = ["tor-in"] }, FilterAgent.TorIn);

        await FilterAgent.AssertTorInAppliedAsync(link, agent);
        Assert.Matches("FILTERED", (await CtlAsync(agent, "bgp", "peers")).Stdout);
    }

    [Fact]
    public async Task Agent_ExportFilterPrependLocalAsAndCommunities_AsBirdReceivesThem()
    {
        const uint PeerLocalAs = 65010;
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig("", agentAs: PeerLocalAs));
        using var agent = await StartAgentAsync(
            link,
            new BGPPeerSpec { Filters = ["keep-second"], LocalASNumber = PeerLocalAs, AsPathPrepend = 2 },
            new BGPFilter
            {
                Metadata = new ObjectMeta { Name = "keep-second" },
                Spec = new BGPFilterSpec { ExportV4 = [new BGPFilterRule { Cidr = SecondBlock, MatchOperator = "Equal", Action = "Reject" }] },
            },
            secondBlock: true,
            configuration: FilterAgent.Communities);

        // BIRD expects AS 65010 in our OPEN: Established proves the per-peer local AS.
        await Eventually.Until(() => bird.HasRoute(OwnBlock, "agent"), $"BIRD to learn {OwnBlock} (agent log: {agent.LogPath})");

        var route = bird.Route(OwnBlock, "agent");
        Assert.Contains("BGP.as_path: 65010 65010 65010", route, StringComparison.Ordinal);
        Assert.Contains("BGP.community: (65000,100) (65535,0)", route, StringComparison.Ordinal);
        Assert.Contains("BGP.large_community: (65000, 1, 2)", route, StringComparison.Ordinal);
        Assert.False(bird.HasRoute(SecondBlock, "agent"), bird.Route(SecondBlock));
        Assert.StartsWith($"blackhole {SecondBlock}", Route(link.Ours, SecondBlock), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_LocalPrefTowardsIbgpTor_BirdSeesIt()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig("", torAs: AgentAs));
        using var agent = await StartAgentAsync(link, new BGPPeerSpec { LocalPref = 250 }, filter: null, peerAs: AgentAs);

        await Eventually.Until(() => bird.HasRoute(OwnBlock, "agent"), $"BIRD to learn {OwnBlock} over iBGP (agent log: {agent.LogPath})");

        Assert.Contains("BGP.local_pref: 250", bird.Route(OwnBlock, "agent"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task Agent_OwnAsInTorPath_TakenOnlyWithNumAllowedLocalASNumbers(int allowed, bool installed)
    {
        // A rack design without as-override on the ToR: a route from another rack of our AS comes
        // back with 64512 in its path, which RFC 4271 §9.1.2 calls a loop.
        const string OtherRack = "10.30.0.0/16";
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig($$"""
            protocol static otherrack { ipv4; route {{OtherRack}} blackhole { bgp_path.prepend({{BirdPeer.Format(AgentAs)}}); }; }
            """));
        using var agent = await StartAgentAsync(link, new BGPPeerSpec { NumAllowedLocalASNumbers = allowed }, filter: null);

        var counters = await FilterAgent.CountersWhenAsync(agent, c => c.GetProperty("prefixesReceived").GetInt32() == 1, $"BIRD's route counted as received (agent log: {agent.LogPath})");

        if (installed)
        {
            await Eventually.Until(() => IsVia(link.Ours, OtherRack), $"{OtherRack} in the kernel");
        }
        else
        {
            Assert.Equal(1, counters.GetProperty("prefixesFiltered").GetInt32());
            Assert.Equal("", Route(link.Ours, OtherRack));
        }
    }

    [Theory]
    [InlineData("ttl security on;", true)]
    [InlineData("multihop 254;", false)]
    public async Task Agent_TtlSecurity_PeerOneHopTooFarNeverEstablished(string birdTtl, bool established)
    {
        // GTSM with 1 hop: the kernel takes only TTL 255. BIRD with `ttl security on` sends 255 and
        // wants 255 (RFC 5082); with `multihop 254` its packets arrive as a peer's one hop further
        // away would (255 less one router), and the kernel drops each (TcpExt TCPMinTTLDrop).
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig("", extra: birdTtl));
        using var agent = await StartAgentAsync(link, new BGPPeerSpec { TtlSecurity = 1 }, filter: null);

        if (established)
        {
            await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD to establish with GTSM on both ends (agent log: {agent.LogPath})");
            return;
        }
        await Eventually.Until(() => FilterAgent.MinTtlDrops(link.Ours) >= 5, "the kernel to drop 5 of BIRD's packets for their TTL");
        Assert.False(bird.IsEstablished("agent"), bird.Cli("show protocols all agent"));
        var peers = await CtlAsync(agent, "bgp", "peers", "-o", "json");
        Assert.DoesNotContain("\"state\": \"Established\"", peers.Stdout, StringComparison.Ordinal);
    }

    private static Task<AgentProcess> StartAgentAsync(
        BgpLink link, BGPPeerSpec peer, BGPFilter? filter, uint peerAs = TorAs, bool secondBlock = false, BGPConfiguration? configuration = null) =>
        FilterAgent.StartAsync(link, peer, filter, peerAs, secondBlock, configuration);

    private static Task<ProcessResult> CtlAsync(AgentProcess agent, params string[] args) => FilterAgent.CtlAsync(agent, args);

    private static string Route(NetNs ns, string prefix) => FilterAgent.Route(ns, prefix);

    private static bool IsVia(NetNs ns, string prefix) => FilterAgent.IsVia(ns, prefix);
}
