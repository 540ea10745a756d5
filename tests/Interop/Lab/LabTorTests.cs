using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// The lab with an external router in the tor namespace peering eBGP with every node: the router
/// learns every node's block (asked with its own CLI), and with the node-to-node mesh turned off
/// the pods still reach each other, now through the router.
/// </summary>
public abstract partial class LabTorTests(LabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task Router_LearnsEveryNodesBlockViaThatNode()
    {
        var router = TorRouter.Find(lab.Initial.Nodes[0]);
        foreach (var node in lab.Initial.Nodes)
        {
            var address = node.Address.Split('/')[0];
            foreach (var block in await BlocksAsync(node))
            {
                await Eventually.Until(() => router.Learned(block, address), $"{router} to learn {block} via {address}");
            }
        }
    }

    [Fact]
    public async Task Pods_AllOrderedPairs_ReachEachOtherFromTheirOwnAddress() =>
        Assert.Empty(await PodProbe.FailingPairsAsync(lab.Initial.Pods));

    /// <summary>
    /// A node announces its own prefixes only (as Calico's BIRD config does): a block learned from
    /// another node or from the router is never passed on, so the router holds each block from its
    /// own node and nowhere else (else it would spread traffic for it over every node).
    /// </summary>
    [Fact]
    public async Task Router_HoldsEachBlockOnlyFromItsOwnNode()
    {
        var router = TorRouter.Find(lab.Initial.Nodes[0]);
        var owners = new List<(string Block, string Address)>();
        foreach (var node in lab.Initial.Nodes)
        {
            var address = node.Address.Split('/')[0];
            foreach (var block in await BlocksAsync(node))
            {
                await Eventually.Until(() => router.Learned(block, address), $"{router} to learn {block} via {address}");
                owners.Add((block, address));
            }
        }
        // Every node has every other's block by now (the lab waited for that): a re-advertisement
        // would have gone out with it; a moment more for it to reach the router.
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var (block, address) in owners)
        {
            Assert.Equal([address], router.NextHops(block));
        }
    }

    [Fact]
    public async Task MeshOff_PodsReachEachOtherThroughTheRouter()
    {
        var first = lab.Initial.Nodes[0];
        // The agent that runs now: another test may have restarted it since `lab up`.
        var datastore = DatastoreOf((await lab.Cli.StatusAsync()).Node(first.Name));
        await SetMeshAsync(datastore, on: false);
        try
        {
            await PodsReachEachOtherThroughTheRouterAsync(first);
        }
        finally
        {
            // The lab is shared by the class's tests: the mesh comes back for the others, whatever their order.
            await SetMeshAsync(datastore, on: true);
            foreach (var node in lab.Initial.Nodes)
            {
                await Eventually.Until(async () => await MeshPeersAsync(node, established: true) == lab.Initial.Nodes.Count - 1, $"{node.Name} to mesh again", TimeSpan.FromSeconds(60));
            }
        }
    }

    private async Task PodsReachEachOtherThroughTheRouterAsync(LabNode first)
    {

        foreach (var node in lab.Initial.Nodes)
        {
            await Eventually.Until(async () => await MeshPeersAsync(node) == 0, $"{node.Name} to drop its mesh sessions");
        }
        var router = TorRouter.Find(first);
        var gateway = Proc.Check("ip", "-n", first.Namespace, "route", "show", "default").Stdout.Split(' ')[2];
        foreach (var other in lab.Initial.Nodes.Skip(1))
        {
            foreach (var block in await BlocksAsync(other))
            {
                await Eventually.Until(
                    () => Proc.Check("ip", "-n", first.Namespace, "route", "show", block).Stdout.Contains($"via {gateway}", StringComparison.Ordinal),
                    $"{first.Name} to route {block} via the router {gateway} ({router})");
            }
        }
        Assert.Empty(await PodProbe.FailingPairsAsync(lab.Initial.Pods));
    }

    private static async Task<IReadOnlyList<string>> BlocksAsync(LabNode node)
    {
        using var status = JsonDocument.Parse(await LabCli.CheckAsync("node", "status", "--node-socket", node.ApiSocket, "-o", "json"));
        return [.. status.RootElement.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()!)];
    }

    private static async Task<int> MeshPeersAsync(LabNode node, bool established = false)
    {
        using var peers = JsonDocument.Parse(await LabCli.CheckAsync("bgp", "peers", "--node-socket", node.ApiSocket, "-o", "json"));
        return peers.RootElement.GetProperty("peers").EnumerateArray()
            .Count(p => p.GetProperty("type").GetString() == "mesh" && (!established || p.GetProperty("state").GetString() == "Established"));
    }

    /// <summary>The lab's datastore, as its agent was started with it (`--datastore` is the agent's contract flag).</summary>
    private static string DatastoreOf(LabNode node)
    {
        var argv = File.ReadAllText($"/proc/{node.AgentPid}/cmdline").Split('\0');
        var i = Array.IndexOf(argv, "--datastore");
        return i >= 0 ? argv[i + 1] : throw new InvalidOperationException($"{node.Name}'s agent has no --datastore: {string.Join(' ', argv)}");
    }

    /// <summary>BGPConfiguration "default" with nodeToNodeMesh set, keeping whatever else the lab set in it.</summary>
    private static async Task SetMeshAsync(string datastore, bool on)
    {
        var current = await LabCli.RunAsync("--datastore", datastore, "get", "bgpconfiguration", "default", "-o", "json");
        var config = current.ExitCode == 0
            ? JsonNode.Parse(current.Stdout)!.AsObject()
            : new JsonObject { ["apiVersion"] = "routednet.io/v1", ["kind"] = "BGPConfiguration", ["metadata"] = new JsonObject { ["name"] = "default" }, ["spec"] = new JsonObject() };
        config["spec"]!["nodeToNodeMesh"] = on;
        (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", datastore, "apply", "-f", "-"], stdin: config.ToJsonString())).EnsureSuccess();
    }
}

[Collection(LabCollection.Name)]
public sealed class LabBirdTests(BirdLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<BirdLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabFrrTests(FrrLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<FrrLabFixture>;

/// <summary>Every agent with `--bgp-backend gobgp`, driving a gobgpd of its own; BIRD as the router.</summary>
[Collection(LabCollection.Name)]
public sealed class LabGoBgpBackendTests(GoBgpBackendLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<GoBgpBackendLabFixture>
{
    [Fact]
    public async Task NodeStatus_GoBgpBackend_SaysPlainlyWhatItDoesNotSupport()
    {
        var status = await LabCli.CheckAsync("node", "status", "--node-socket", lab.Initial.Nodes[0].ApiSocket);

        Assert.Contains("gobgp backend; not supported with it:", status, StringComparison.Ordinal);
        Assert.Contains("last error", status, StringComparison.Ordinal);
        Assert.Contains("ECMP", status, StringComparison.Ordinal);
    }
}

[Collection(LabCollection.Name)]
public sealed class LabGoBgpTests(GoBgpLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<GoBgpLabFixture>;
