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
    public async Task MeshOff_PodsReachEachOtherThroughTheRouter()
    {
        var first = lab.Initial.Nodes[0];
        // The agent that runs now: another test may have restarted it since `lab up`.
        await TurnMeshOffAsync(DatastoreOf((await lab.Cli.StatusAsync()).Node(first.Name)));

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

    private static async Task<int> MeshPeersAsync(LabNode node)
    {
        using var peers = JsonDocument.Parse(await LabCli.CheckAsync("bgp", "peers", "--node-socket", node.ApiSocket, "-o", "json"));
        return peers.RootElement.GetProperty("peers").EnumerateArray().Count(p => p.GetProperty("type").GetString() == "mesh");
    }

    /// <summary>The lab's datastore, as its agent was started with it (`--datastore` is the agent's contract flag).</summary>
    private static string DatastoreOf(LabNode node)
    {
        var argv = File.ReadAllText($"/proc/{node.AgentPid}/cmdline").Split('\0');
        var i = Array.IndexOf(argv, "--datastore");
        return i >= 0 ? argv[i + 1] : throw new InvalidOperationException($"{node.Name}'s agent has no --datastore: {string.Join(' ', argv)}");
    }

    /// <summary>BGPConfiguration "default" with nodeToNodeMesh false, keeping whatever else the lab set in it.</summary>
    private static async Task TurnMeshOffAsync(string datastore)
    {
        var current = await LabCli.RunAsync("--datastore", datastore, "get", "bgpconfiguration", "default", "-o", "json");
        var config = current.ExitCode == 0
            ? JsonNode.Parse(current.Stdout)!.AsObject()
            : new JsonObject { ["apiVersion"] = "routednet.io/v1", ["kind"] = "BGPConfiguration", ["metadata"] = new JsonObject { ["name"] = "default" }, ["spec"] = new JsonObject() };
        config["spec"]!["nodeToNodeMesh"] = false;
        (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", datastore, "apply", "-f", "-"], stdin: config.ToJsonString())).EnsureSuccess();
    }
}

[Collection(LabCollection.Name)]
public sealed class LabBirdTests(BirdLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<BirdLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabFrrTests(FrrLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<FrrLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabGoBgpTests(GoBgpLabFixture lab, ITestOutputHelper output) : LabTorTests(lab, output), IClassFixture<GoBgpLabFixture>;
