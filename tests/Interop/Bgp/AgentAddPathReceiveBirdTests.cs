using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// ADD-PATH receive (RFC 7911): a node behind a route reflector that sends every path (BIRD with
/// `add paths tx`) keeps each of them as its own candidate, so the kernel route to a VIP announced
/// by two endpoint nodes has both next hops, though both paths come over one session; when the
/// reflector withdraws one path (by its Path Identifier), the other stays. Without ADD-PATH
/// receive the second path would replace the first (one path per peer and prefix) and the
/// node would see one next hop. The assertions are on the node's kernel, as `ip route` prints it.
/// </summary>
public sealed class AgentAddPathReceiveBirdTests
{
    private const string NodeV4 = "198.18.1.1";
    private const string ReflectorV4 = "198.18.1.2";

    /// <summary>The two endpoint nodes the reflector has the VIP from; on the node's LAN, not running anything.</summary>
    private const string EndpointA = "198.18.1.3";
    private const string EndpointB = "198.18.1.4";

    private const string Vip = "198.51.100.10/32";

    /// <summary>The agent's AS when neither its Node nor a BGPConfiguration sets one; the reflector is in it too (iBGP).</summary>
    private const uint ClusterAs = 64512;

    /// <summary>
    /// The reflector holds the VIP from two origins (static protocols standing in for the two
    /// endpoint nodes' sessions) with their next hops, and sends both to its client, the agent.
    /// </summary>
    private static string ReflectorConfig => $$"""
        router id {{ReflectorV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol static endpoint_a { ipv4; route {{Vip}} via {{EndpointA}}; }
        protocol static endpoint_b { ipv4; route {{Vip}} via {{EndpointB}}; }
        protocol bgp agent {
            local {{ReflectorV4}} as {{BirdPeer.Format(ClusterAs)}};
            neighbor {{NodeV4}} as {{BirdPeer.Format(ClusterAs)}};
            rr client;
            {{BirdPeer.FastTimers}}
            ipv4 {
                import none;
                add paths tx;
                export filter {
                    if proto = "endpoint_a" then { bgp_next_hop = {{EndpointA}}; accept; }
                    if proto = "endpoint_b" then { bgp_next_hop = {{EndpointB}}; accept; }
                    reject;
                };
            };
        }
        """;

    [Fact]
    public async Task Agent_ReflectorSendsTwoPathsOfAVip_KernelRouteHasBothNextHopsUntilOneIsWithdrawn()
    {
        using var node = NetNs.Create("addpath");
        using var reflectorNs = NetNs.Create("addpath");
        NodeLan.Create(node, NodeV4);
        NodeLan.Attach(node, "lan1", reflectorNs, ReflectorV4);

        using var reflector = BirdPeer.Start(reflectorNs, ReflectorConfig);
        using var agent = await AgentProcess.StartAsync(node, NodeV4, async store =>
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.65.0.0/16", BlockSize = 26 } });
            await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "reflector" }, Spec = new BGPPeerSpec { PeerIP = ReflectorV4, AsNumber = ClusterAs } });
        });
        await Eventually.Until(() => reflector.IsEstablished("agent"), $"the reflector to establish with the agent (agent log: {agent.LogPath})");
        // The agent offered to receive several paths: BIRD lists ADD-PATH among its neighbour's capabilities.
        var protocol = reflector.Cli("show protocols all agent");
        var neighbor = protocol.IndexOf("Neighbor capabilities", StringComparison.Ordinal);
        Assert.True(neighbor >= 0 && protocol.IndexOf("ADD-PATH", neighbor, StringComparison.Ordinal) >= 0, protocol);

        await Eventually.Until(() => KernelRoutes.IsMultipath(node, Vip, EndpointA, EndpointB), $"one route to {Vip} with next hops {EndpointA} and {EndpointB} (now: {KernelRoutes.Show(node, Vip)}; agent log: {agent.LogPath})");

        // One endpoint goes: the reflector withdraws that path alone, by its identifier.
        reflector.Cli("disable endpoint_b");
        await Eventually.Until(() => KernelRoutes.IsSinglePath(node, Vip, EndpointA), $"{Vip} to keep only {EndpointA} (now: {KernelRoutes.Show(node, Vip)})");

        reflector.Cli("enable endpoint_b");
        await Eventually.Until(() => KernelRoutes.IsMultipath(node, Vip, EndpointA, EndpointB), $"{Vip} to get both next hops back");

        reflector.Cli("disable endpoint_a");
        await Eventually.Until(() => KernelRoutes.IsSinglePath(node, Vip, EndpointB), $"{Vip} to keep only {EndpointB} (now: {KernelRoutes.Show(node, Vip)})");
        reflector.Cli("disable endpoint_b");
        await Eventually.Until(() => KernelRoutes.Show(node, Vip).Length == 0, $"{Vip} to leave the kernel with its last path");
    }
}
