using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BIRD as the top-of-rack router of `routednet-node` (the published binary), as Calico runs with
/// a ToR: what the rack announces (a default route, the rack's prefix, other nodes' blocks) is
/// installed in the node's kernel; what would override the node's own routes (a prefix inside its
/// block, or inside its connected subnet) is not. Max-prefix still ends a session that sends too
/// much, `routednetctl bgp reset` brings it back, and `routednetctl bgp refresh` sends BIRD a
/// ROUTE-REFRESH (RFC 2918), which BIRD itself reports. Assertions are on the kernel as `ip route`
/// prints it and on BIRD's own view.
/// </summary>
public sealed class AgentTorImportBirdTests
{
    private const uint TorAs = 65002;

    /// <summary>The agent's AS when neither its Node nor a BGPConfiguration sets one (Calico's default).</summary>
    private const uint AgentAs = 64512;

    private const string Pool = "10.65.0.0/16";
    private const string OwnBlock = "10.65.1.0/26";
    private const string InsideOwnBlock = "10.65.1.7/32";
    private const string OtherNodesBlock = "10.65.9.0/26";
    private const string RackPrefix = "10.10.0.0/16";

    /// <summary>Inside the node's connected subnet (198.18.0.0/24 on the link to BIRD).</summary>
    private const string InsideConnected = "198.18.0.128/25";

    private static string BirdConfig(string staticRoutes, string extra = "") =>
        BirdPeer.TorConfig(staticRoutes, TorAs, AgentAs, extra);

    [Fact]
    public async Task Agent_TorAnnouncesDefaultRackAndNodeOwnPrefixes_InstallsAllButTheNodesOwn()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig($$"""
            protocol static rack {
                ipv4;
                route 0.0.0.0/0 blackhole;
                route {{RackPrefix}} blackhole;
                route {{OtherNodesBlock}} blackhole;
                route {{OwnBlock}} blackhole;
                route {{InsideOwnBlock}} blackhole;
                route {{InsideConnected}} blackhole;
            }
            """));
        using var agent = await StartAgentAsync(link, maxPrefixes: null);
        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD to establish with the agent (agent log: {agent.LogPath})");

        await Eventually.Until(() => IsVia(link.Ours, OtherNodesBlock), $"{OtherNodesBlock} via BIRD in the kernel");
        await Eventually.Until(() => IsVia(link.Ours, "default"), "the ToR's default route in the kernel");
        await Eventually.Until(() => IsVia(link.Ours, RackPrefix), $"the rack prefix {RackPrefix} in the kernel");

        // Refused at import, so neither in the RIB nor in the kernel: they would override the node's own.
        Assert.Equal("", Route(link.Ours, InsideOwnBlock));
        Assert.Equal("", Route(link.Ours, InsideConnected));
        Assert.StartsWith($"blackhole {OwnBlock}", Route(link.Ours, OwnBlock), StringComparison.Ordinal);
        var rib = await CtlAsync(agent, "bgp", "rib", "-o", "json");
        Assert.Contains(RackPrefix, rib.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(InsideOwnBlock, rib.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(InsideConnected, rib.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_MaxPrefixTripped_BgpResetBringsTheSessionBack()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig("""
            protocol static few { ipv4; route 10.10.1.0/24 blackhole; }
            protocol static more { ipv4; route 10.10.2.0/24 blackhole; route 10.10.3.0/24 blackhole; }
            """, extra: "passive on;"));
        using var agent = await StartAgentAsync(link, maxPrefixes: 2);

        // Three prefixes against a limit of two: Cease / Maximum Number of Prefixes Reached (RFC 4486),
        // as BIRD reads it. BIRD is passive, so no connection attempt of its own overwrites that error.
        await Eventually.Until(
            () => bird.Cli("show protocols all agent").Contains("Received: Maximum number of prefixes reached", StringComparison.Ordinal),
            $"BIRD to receive the agent's max-prefix Cease (agent log: {agent.LogPath})");
        bird.Cli("disable more");
        Assert.Equal("", Route(link.Ours, "10.10.1.0/24"));

        var reset = await CtlAsync(agent, "bgp", "reset", BgpLink.PeerV4);

        Assert.True(reset.ExitCode == 0, reset.Stderr);
        await Eventually.Until(() => bird.IsEstablished("agent"), "the session to come back after `bgp reset`");
        await Eventually.Until(() => IsVia(link.Ours, "10.10.1.0/24"), "10.10.1.0/24 in the kernel after the reset");
    }

    [Fact]
    public async Task Agent_BgpRefresh_BirdReceivesRouteRefresh()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig("protocol static rack { ipv4; route 10.10.0.0/16 blackhole; }", extra: "debug { packets };"));
        using var agent = await StartAgentAsync(link, maxPrefixes: null);
        await Eventually.Until(() => IsVia(link.Ours, RackPrefix), $"{RackPrefix} in the kernel (agent log: {agent.LogPath})");
        var before = Refreshes(bird);

        var refresh = await CtlAsync(agent, "bgp", "refresh", BgpLink.PeerV4);

        Assert.True(refresh.ExitCode == 0, refresh.Stderr);
        await Eventually.Until(() => Refreshes(bird) > before, "BIRD to log a ROUTE-REFRESH from the agent");
        Assert.True(bird.IsEstablished("agent"), "a refresh must not reset the session");
    }

    [Fact]
    public async Task Ctl_BgpResetUnknownPeer_ExitsWithOneLine()
    {
        using var link = new BgpLink();
        using var agent = await StartAgentAsync(link, maxPrefixes: null);
        await Eventually.Until(() => File.Exists(agent.ApiSocket), "the agent's API socket");

        var result = await CtlAsync(agent, "bgp", "reset", "192.0.2.99");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("192.0.2.99", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Task<AgentProcess> StartAgentAsync(BgpLink link, int? maxPrefixes) =>
        AgentProcess.StartAsync(link.Ours, BgpLink.OurV4, async store =>
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = Pool, BlockSize = 26 } });
            await store.CreateAsync(new IPAMBlock
            {
                Metadata = new ObjectMeta { Name = "10-65-1-0-26" },
                Spec = new IPAMBlockSpec { Cidr = OwnBlock, Affinity = $"host:{AgentProcess.NodeName}" },
            });
            await store.CreateAsync(new BGPPeer
            {
                Metadata = new ObjectMeta { Name = "tor" },
                Spec = new BGPPeerSpec { PeerIP = BgpLink.PeerV4, AsNumber = TorAs, MaxPrefixes = maxPrefixes },
            });
        });

    private static Task<ProcessResult> CtlAsync(AgentProcess agent, params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), [.. args, "--node-socket", agent.ApiSocket]);

    private static int Refreshes(BirdPeer bird) =>
        bird.Log().Split('\n').Count(l => l.Contains("Got ROUTE-REFRESH", StringComparison.Ordinal));

    /// <summary>`ip route show PREFIX` in the node's main table; empty when there is none.</summary>
    private static string Route(NetNs ns, string prefix) => ns.Check("ip", "route", "show", prefix).Stdout.Trim();

    /// <summary>Installed by the agent (proto 80) via BIRD.</summary>
    private static bool IsVia(NetNs ns, string prefix)
    {
        var route = Route(ns, prefix);
        return route.StartsWith($"{prefix} via {BgpLink.PeerV4} ", StringComparison.Ordinal) && route.Contains("proto 80", StringComparison.Ordinal);
    }
}
