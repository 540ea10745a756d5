using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.Interop.GoBgpBackend;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPPeer's per-peer fields with `--bgp-backend gobgp` (the agent's own gobgpd in the node's
/// namespace holds the session) and BIRD as the ToR, each shown by what BIRD or the node's kernel
/// sees, as <see cref="AgentBgpFilterBirdTests"/> shows them for the built-in speaker: the local
/// AS presented and AS-path prepend, LOCAL_PREF towards an iBGP ToR, our own AS in the ToR's path
/// taken only with numAllowedLocalASNumbers, GTSM refusing a peer one hop too far, the session
/// bound to an explicit source address, and eBGP to a loopback a router away (multihop).
/// </summary>
public sealed class AgentPeerFieldsGoBgpBackendTests
{
    private const uint TorAs = 65002;
    private const uint AgentAs = FilterAgent.AgentAs;
    private const string OwnBlock = FilterAgent.OwnBlock;

    [Fact]
    public async Task GoBgpBackend_LocalAsAndPrepend_AsBirdReceivesThem()
    {
        const uint PeerLocalAs = 65010;
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig("", TorAs, PeerLocalAs));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalASNumber = PeerLocalAs, AsPathPrepend = 2 }, filter: null, TorAs, agentArgs: Args(gobgpd));

        // BIRD expects AS 65010 in the OPEN: Established proves the per-peer local AS.
        await Eventually.Until(() => bird.HasRoute(OwnBlock, "agent"), $"BIRD to learn {OwnBlock} (agent log: {agent.LogPath})");

        Assert.Contains("BGP.as_path: 65010 65010 65010", bird.Route(OwnBlock, "agent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GoBgpBackend_LocalPrefTowardsIbgpTor_BirdSeesIt()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig("", AgentAs, AgentAs));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalPref = 250 }, filter: null, AgentAs, agentArgs: Args(gobgpd));

        await Eventually.Until(() => bird.HasRoute(OwnBlock, "agent"), $"BIRD to learn {OwnBlock} over iBGP (agent log: {agent.LogPath})");

        Assert.Contains("BGP.local_pref: 250", bird.Route(OwnBlock, "agent"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task GoBgpBackend_OwnAsInTorPath_TakenOnlyWithNumAllowedLocalASNumbers(int allowed, bool installed)
    {
        const string OtherRack = "10.30.0.0/16";
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig($$"""
            protocol static otherrack { ipv4; route {{OtherRack}} blackhole { bgp_path.prepend({{BirdPeer.Format(AgentAs)}}); }; }
            """, TorAs, AgentAs));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { NumAllowedLocalASNumbers = allowed }, filter: null, TorAs, agentArgs: Args(gobgpd));

        await Eventually.Until(() => bird.IsEstablished("agent"), $"the session (agent log: {agent.LogPath})");
        if (installed)
        {
            await Eventually.Until(() => FilterAgent.IsVia(link.Ours, OtherRack), $"{OtherRack} in the kernel");
            return;
        }
        // Established and BIRD's route sent; gobgpd drops it as a loop, so it never reaches the kernel.
        await Eventually.Until(() => bird.Cli("show protocols all agent").Contains("1 exported", StringComparison.Ordinal), "BIRD to send its route");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("", FilterAgent.Route(link.Ours, OtherRack));
    }

    [Theory]
    [InlineData("ttl security on;", true)]
    [InlineData("multihop 254;", false)]
    public async Task GoBgpBackend_TtlSecurity_PeerOneHopTooFarNeverEstablished(string birdTtl, bool established)
    {
        // BIRD passive: gobgpd opens the session. One BIRD opens is let through when its OPEN
        // arrives before gobgpd sets IP_MINTTL after accept (seen here once in two runs), and dropped
        // with its next packets; gobgpd does not judge the SYN as the built-in speaker does (README).
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig("", TorAs, AgentAs, $"{birdTtl} passive on;"));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { TtlSecurity = 1 }, filter: null, TorAs, agentArgs: Args(gobgpd));

        if (established)
        {
            await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD to establish with GTSM on both ends (agent log: {agent.LogPath})");
            return;
        }
        await Eventually.Until(() => FilterAgent.MinTtlDrops(link.Ours) >= 5, "the kernel to drop 5 of BIRD's packets for their TTL");
        Assert.False(bird.IsEstablished("agent"), bird.Cli("show protocols all agent"));
    }

    [Fact]
    public async Task GoBgpBackend_SourceAddressExplicit_BirdSeesTheSessionFromIt()
    {
        const string Chosen = "198.18.0.9";
        using var link = new BgpLink();
        link.Ours.Check("ip", "addr", "add", $"{Chosen}/24", "dev", "bgpl0");
        // Passive, and expecting the chosen address: only a connection from it comes up.
        using var bird = BirdPeer.Start(link.Peer, BirdPeer.TorConfig("", TorAs, AgentAs, "passive on;").Replace($"neighbor {BgpLink.OurV4}", $"neighbor {Chosen}", StringComparison.Ordinal));
        using var gobgpd = await GoBgpDaemon.StartAsync(link.Ours);
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { SourceAddress = Chosen }, filter: null, TorAs, agentArgs: Args(gobgpd));

        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD (passive, neighbour {Chosen}) to establish (agent log: {agent.LogPath})");
    }

    [Fact]
    public async Task GoBgpBackend_EbgpToBirdLoopbackOneRouterAway_Established()
    {
        using var hop = new RoutedHop();
        hop.AddPeerLoopback();
        using var bird = BirdPeer.Start(hop.Peer, AgentEbgpMultihopTests.BirdLoopbackConfig());
        using var gobgpd = await GoBgpDaemon.StartAsync(hop.Ours);
        using var agent = await FilterAgent.StartAsync(hop.Ours, RoutedHop.OurV4, RoutedHop.PeerLoopbackV4, new BGPPeerSpec(), filter: null, TorAs, agentArgs: Args(gobgpd));

        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD on its loopback to establish across the router (agent log: {agent.LogPath})");
    }

    private static string[] Args(GoBgpDaemon gobgpd) => ["--bgp-backend", "gobgp", "--gobgp-api", gobgpd.Api];
}
