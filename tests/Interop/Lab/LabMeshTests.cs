using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// End to end on the lab (3 nodes × 2 pods, node-to-node mesh): pod-to-pod across nodes with the
/// pods' own source addresses, pods coming and going, an agent killed under traffic, a node
/// joining, and `routednetctl routes` on every node.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class LabMeshTests(MeshLabFixture lab, ITestOutputHelper output) : IClassFixture<MeshLabFixture>
{
    private LabNode NodeAt(int index) => lab.Initial.Nodes[index];

    private async Task<LabPod> AddPodAsync(string node)
    {
        using var document = JsonDocument.Parse(await lab.Cli.LabAsync("add-pod", node, "-o", "json"));
        return LabPod.Parse(document.RootElement);
    }

    private static string[] RoutesTo(LabNode node, string prefix) =>
        Proc.Check("ip", "-n", node.Namespace, "-o", "route", "show", "table", "main", prefix).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Pods_AllOrderedPairs_ReachEachOtherFromTheirOwnAddress()
    {
        Assert.Equal(3, lab.Initial.Nodes.Count);
        Assert.Equal(6, lab.Initial.Pods.Count);

        Assert.Empty(await PodProbe.FailingPairsAsync(lab.Initial.Pods));
    }

    [Fact]
    public async Task AddPod_OnNode1_ReachableFromNode3SoonAfterAddReturns()
    {
        var pod = await AddPodAsync(NodeAt(0).Name);
        var added = Stopwatch.StartNew();
        var from = lab.Initial.PodsOn(NodeAt(2).Name).First();

        await Eventually.Until(async () => from.Ip.Equals(await PodProbe.SourceSeenAsync(from, pod, TimeSpan.FromMilliseconds(500))), $"{from.Name} to reach the new {pod.Name}");
        output.WriteLine($"{pod.Name} ({pod.Ip}) on {NodeAt(0).Name} reached from {from.Name} on {NodeAt(2).Name} {added.ElapsedMilliseconds} ms after `lab add-pod` returned");
        Assert.Equal(pod.Ip, await PodProbe.SourceSeenAsync(pod, from, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task DelPod_Deleted_NoLongerRoutedOrReachable()
    {
        var node = NodeAt(1);
        var pod = await AddPodAsync(node.Name);
        var from = lab.Initial.PodsOn(NodeAt(0).Name).First();
        await Eventually.Until(async () => from.Ip.Equals(await PodProbe.SourceSeenAsync(from, pod, TimeSpan.FromSeconds(1))), $"{from.Name} to reach {pod.Name}");
        Assert.NotEmpty(RoutesTo(node, $"{pod.Ip}/32"));

        await lab.Cli.LabAsync("del-pod", pod.Name);

        Assert.Empty(RoutesTo(node, $"{pod.Ip}/32"));
        Assert.DoesNotContain((await lab.Cli.StatusAsync()).Pods, p => p.Name == pod.Name);
        var ping = Proc.Run("ip", "netns", "exec", from.Namespace, "ping", "-c", "2", "-W", "1", pod.Ip.ToString());
        Assert.NotEqual(0, ping.ExitCode);
    }

    [Fact]
    public async Task KillAgent_WhilePingsRunAcrossIt_NothingLost()
    {
        var victim = NodeAt(1);
        var target = lab.Initial.PodsOn(victim.Name).First();
        var senders = new[] { lab.Initial.PodsOn(NodeAt(0).Name).First(), lab.Initial.PodsOn(NodeAt(2).Name).First() };
        // 8 s of pings every 50 ms from two other nodes' pods, across the kill and the restart.
        var pings = senders.Select(s => Proc.RunAsync("ip", ["netns", "exec", s.Namespace, "ping", "-c", "160", "-i", "0.05", "-W", "1", target.Ip.ToString()])).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));

        Proc.Check("kill", "-9", victim.AgentPid.ToString(CultureInfo.InvariantCulture));
        await Eventually.Until(() => !Directory.Exists($"/proc/{victim.AgentPid}"), $"{victim.Name}'s agent to die");
        await lab.Cli.LabAsync("restart-node", victim.Name);

        foreach (var ping in await Task.WhenAll(pings))
        {
            var counts = PingSummary().Match(ping.Stdout);
            Assert.True(counts.Success, $"no ping summary: {ping.Stdout}{ping.Stderr}");
            Assert.Equal(counts.Groups["sent"].Value, counts.Groups["received"].Value);
        }
        var restarted = (await lab.Cli.StatusAsync()).Node(victim.Name);
        Assert.NotEqual(victim.AgentPid, restarted.AgentPid);
        await Eventually.Until(async () => (await LabCli.RoutesAsync(restarted)).ExitCode == 0, $"{victim.Name}'s routes to be clean after the restart");
    }

    [Fact]
    public async Task AddNode_Joins_MeshedAndReachableWithoutRestart()
    {
        var before = await lab.Cli.StatusAsync();

        await lab.Cli.LabAsync("add-node");

        var after = await lab.Cli.StatusAsync();
        var joined = Assert.Single(after.Nodes, n => before.Nodes.All(b => b.Name != n.Name));
        await Eventually.Until(
            async () =>
            {
                foreach (var node in after.Nodes)
                {
                    if (await MeshPeersEstablished(node) != after.Nodes.Count - 1)
                    {
                        return false;
                    }
                }
                return true;
            },
            $"every node, {joined.Name} included, to have {after.Nodes.Count - 1} established mesh peers",
            TimeSpan.FromSeconds(60));
        var pod = await AddPodAsync(joined.Name);
        var from = lab.Initial.PodsOn(NodeAt(0).Name).First();
        await Eventually.Until(async () => from.Ip.Equals(await PodProbe.SourceSeenAsync(from, pod, TimeSpan.FromSeconds(1))), $"{from.Name} to reach {pod.Name} on {joined.Name}");
        Assert.Equal(pod.Ip, await PodProbe.SourceSeenAsync(pod, from, TimeSpan.FromSeconds(2)));
        // No agent was restarted for the join.
        var final = await lab.Cli.StatusAsync();
        Assert.All(before.Nodes, n => Assert.Equal(n.AgentPid, final.Node(n.Name).AgentPid));
    }

    private static async Task<int> MeshPeersEstablished(LabNode node)
    {
        using var document = JsonDocument.Parse(await LabCli.CheckAsync("bgp", "peers", "--node-socket", node.ApiSocket, "-o", "json"));
        return document.RootElement.GetProperty("peers").EnumerateArray()
            .Count(p => p.GetProperty("type").GetString() == "mesh" && p.GetProperty("state").GetString() == "Established");
    }

    [Fact]
    public async Task Routes_EveryNode_CleanThenReportsARouteDeletedByHand()
    {
        foreach (var node in (await lab.Cli.StatusAsync()).Nodes)
        {
            await Eventually.Until(async () => (await LabCli.RoutesAsync(node)).ExitCode == 0, $"`routednetctl routes` clean on {node.Name}");
        }

        var victim = NodeAt(0);
        var prefix = $"{lab.Initial.PodsOn(victim.Name).First().Ip}/32";
        // The agent repairs on its next resync; retrying the delete makes this independent of where that falls.
        string? state = null;
        for (var attempt = 0; attempt < 3 && state != "missing"; attempt++)
        {
            Proc.Check("ip", "-n", victim.Namespace, "route", "del", prefix);
            var result = await LabCli.RoutesAsync(victim);
            using var report = JsonDocument.Parse(result.Stdout);
            state = report.RootElement.GetProperty("routes").EnumerateArray()
                .Single(r => r.GetProperty("prefix").GetString() == prefix).GetProperty("state").GetString();
            Assert.Equal(state == "missing" ? 1 : 0, result.ExitCode);
        }
        Assert.Equal("missing", state);
        await Eventually.Until(async () => (await LabCli.RoutesAsync(victim)).ExitCode == 0, $"{victim.Name} to repair {prefix}");
    }

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex PingSummary();
}
