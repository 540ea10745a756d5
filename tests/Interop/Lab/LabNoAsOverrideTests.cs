using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// `lab up --tor bird|frr --no-mesh --no-as-override`: a router that sends every node's block back to
/// the others with their shared AS 64512 still in the path, as a ToR without as-override does.
/// Each node drops such a route as a loop (RFC 4271 §9.1.2) unless its BGPPeer allows its own AS
/// (numAllowedLocalASNumbers, what Calico users set for such a ToR); the lab sets 1. The test takes
/// the allowance away (the routes leave node1's kernel and are counted as filtered) and gives it
/// back (node1 routes node2's block from the router again and a pod on node1 pings a pod on node2).
/// </summary>
public abstract class LabNoAsOverrideTests(LabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task NoAsOverride_OtherNodesRoutesTakenOnlyWithNumAllowedLocalASNumbers()
    {
        var state = await lab.Cli.StatusAsync();
        var (node1, node2) = (state.Node("node1"), state.Node("node2"));
        var (from, to) = (state.PodsOn("node1").First(), state.PodsOn("node2").First());
        var datastore = LabServiceTests.DatastoreOf(node1);
        var block = await BlockOfAsync(node2);
        // `lab up` waited for every node to route every other node's pods from the agent: with the allowance it works.
        Assert.True(HasBgpRoute(node1, block), $"node1 to route {block} after lab up:\n{Routes(node1)}");
        try
        {
            await SetAllowedLocalAsAsync(datastore, null);
            await Eventually.Until(() => !HasBgpRoute(node1, block), $"node1 to drop {block}, whose path holds its own AS:\n{Routes(node1)}");
            await Eventually.Until(async () => await TorFilteredAsync(node1) >= 2, "node1 to count node2's and node3's blocks as filtered from the router");
            output.WriteLine($"without numAllowedLocalASNumbers: node1 has no route for {block}, {await TorFilteredAsync(node1)} prefixes filtered from the router");
            if (!TorRouter.Find(node1).Forwards)
            {
                // GoBGP has no kernel routes, so node1's default route leads nowhere: the pods are cut off.
                Assert.False(Ping(from, to), $"{from.Name} reached {to.Name} with no route from the router");
            }

            await SetAllowedLocalAsAsync(datastore, 1);
            await Eventually.Until(() => HasBgpRoute(node1, block), $"node1 to route {block} again with numAllowedLocalASNumbers 1:\n{Routes(node1)}");
            await Eventually.Until(() => Ping(from, to), $"{from.Name} ({from.Ip}) to ping {to.Name} ({to.Ip}) through the route from the router");
            Assert.Equal(from.Ip, await PodProbe.SourceSeenAsync(from, to, TimeSpan.FromSeconds(2)));
        }
        finally
        {
            await SetAllowedLocalAsAsync(datastore, 1);
        }
    }

    /// <summary>A route from the agent (protocol 80) for the block, not the default route to the router.</summary>
    private static bool HasBgpRoute(LabNode node, string block) =>
        Proc.Check("ip", "-n", node.Namespace, "route", "show", block, "proto", "80").Stdout.Contains("via", StringComparison.Ordinal);

    private static string Routes(LabNode node) => Proc.Check("ip", "-n", node.Namespace, "route").Stdout;

    private static bool Ping(LabPod from, LabPod to) =>
        Proc.Run("ip", "netns", "exec", from.Namespace, "ping", "-c", "1", "-W", "1", to.Ip.ToString()).ExitCode == 0;

    private static async Task<string> BlockOfAsync(LabNode node)
    {
        using var status = JsonDocument.Parse(await LabCli.CheckAsync("node", "status", "--node-socket", node.ApiSocket, "-o", "json"));
        return status.RootElement.GetProperty("blocks")[0].GetString()!;
    }

    /// <summary>What the node refused of the router's announcements (`bgp peers -o json`, the peer that is not a mesh peer).</summary>
    private static async Task<int> TorFilteredAsync(LabNode node)
    {
        using var peers = JsonDocument.Parse(await LabCli.CheckAsync("bgp", "peers", "--node-socket", node.ApiSocket, "-o", "json"));
        return peers.RootElement.GetProperty("peers").EnumerateArray()
            .Single(p => p.GetProperty("type").GetString() != "mesh")
            .GetProperty("counters").GetProperty("prefixesFiltered").GetInt32();
    }

    /// <summary>The lab's BGPPeer "tor" with numAllowedLocalASNumbers set (null: absent, i.e. 0), the rest as the lab wrote it.</summary>
    private static async Task SetAllowedLocalAsAsync(string datastore, int? allowed)
    {
        var peer = JsonNode.Parse(await LabServiceTests.CtlCheckAsync(datastore, "get", "bgppeer", "tor", "-o", "json"))!.AsObject();
        var spec = peer["spec"]!.AsObject();
        spec.Remove("numAllowedLocalASNumbers");
        if (allowed is { } n)
        {
            spec["numAllowedLocalASNumbers"] = n;
        }
        await LabServiceTests.ApplyAsync(datastore, peer);
    }
}

[Collection(LabCollection.Name)]
public sealed class LabNoAsOverrideBirdTests(BirdNoAsOverrideLabFixture lab, ITestOutputHelper output) : LabNoAsOverrideTests(lab, output), IClassFixture<BirdNoAsOverrideLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabNoAsOverrideFrrTests(FrrNoAsOverrideLabFixture lab, ITestOutputHelper output) : LabNoAsOverrideTests(lab, output), IClassFixture<FrrNoAsOverrideLabFixture>;

/// <summary>
/// GoBGP cannot be that ToR: it checks the AS path before sending (a path holding the peer's AS
/// never goes to that peer, route-server clients included), so no allowance on the nodes could
/// help. `lab up` says so in one line and makes nothing.
/// </summary>
public sealed class LabNoAsOverrideGoBgpTests
{
    [Fact]
    public async Task NoAsOverride_GoBgp_RefusedInOneLineBeforeAnythingIsMade()
    {
        var dir = Directory.CreateTempSubdirectory("rnt-lab-").FullName;
        try
        {
            var result = await LabCli.RunAsync("lab", "up", "--tor", "gobgp", "--no-mesh", "--no-as-override", "--prefix", "rnlab-tnoasov", "--lab-dir", dir);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal(
                "error: --no-as-override works with --tor bird or frr: GoBGP never sends a route to a peer whose AS (64512) is in its path, so the nodes would get nothing to allow",
                result.Stderr.Trim());
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
            Assert.DoesNotContain("rnlab-tnoasov", Proc.Check("ip", "netns", "list").Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
