using System.Diagnostics;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// Restarting agents loses nothing: under 200 packets per second of numbered UDP in four directions
/// (node1's pod to node2's and back, node1's pod to node3's, the tor namespace to node1's pod), an
/// agent stopped with SIGTERM (`lab restart-node`), one killed with SIGKILL, and every agent
/// restarted one after the other: not one datagram is lost, and the restarted nodes' blocks never
/// leave the router's BGP table (asked with its own CLI all along). The agent keeps its kernel
/// routes and closes its sessions without a NOTIFICATION, so the router and the other nodes keep
/// its routes as stale (graceful restart) until the new agent has sent them again.
/// </summary>
public abstract partial class LabTorTests
{
    private const int FlowPort = 7801;

    [Fact]
    public Task RestartNode_Sigterm_NoDatagramLostAndBlockNeverLeavesTheRouter() =>
        RestartUnderTrafficAsync([lab.Initial.Nodes[0]], ["restart-node", lab.Initial.Nodes[0].Name]);

    [Fact]
    public Task RestartNode_Sigkill_NoDatagramLostAndBlockNeverLeavesTheRouter() =>
        RestartUnderTrafficAsync([lab.Initial.Nodes[0]], ["restart-node", lab.Initial.Nodes[0].Name, "--kill"]);

    [Fact]
    public Task RollingRestart_EveryNodeInTurn_NoDatagramLostAndNoBlockLeavesTheRouter() =>
        RestartUnderTrafficAsync(lab.Initial.Nodes, ["restart-node", "--all"]);

    private async Task RestartUnderTrafficAsync(IReadOnlyList<LabNode> restarted, string[] restart)
    {
        var router = TorRouter.Find(lab.Initial.Nodes[0]);
        var blocks = new List<string>();
        foreach (var node in restarted)
        {
            blocks.AddRange(await BlocksAsync(node));
        }
        foreach (var block in blocks)
        {
            await Eventually.Until(() => router.Has(block), $"{router} to hold {block} before the restart");
        }
        var pod1 = lab.Initial.PodsOn(lab.Initial.Nodes[0].Name).First();
        var pod2 = lab.Initial.PodsOn(lab.Initial.Nodes[1].Name).First();
        var pod3 = lab.Initial.PodsOn(lab.Initial.Nodes[2].Name).First();
        var torPath = $"/run/netns/{router.Namespace}";
        var flows = new List<NumberedUdpFlow>
        {
            new($"{pod1.Name}->{pod2.Name}", pod1.NamespacePath, pod2.NamespacePath, pod2.Ip, FlowPort),
            new($"{pod2.Name}->{pod1.Name}", pod2.NamespacePath, pod1.NamespacePath, pod1.Ip, FlowPort + 1),
            new($"{pod1.Name}->{pod3.Name}", pod1.NamespacePath, pod3.NamespacePath, pod3.Ip, FlowPort + 2),
        };
        if (router.Forwards)
        {
            flows.Add(new($"tor->{pod1.Name}", torPath, pod1.NamespacePath, pod1.Ip, FlowPort + 3));
        }
        using var watching = new CancellationTokenSource();
        var absences = new List<string>();
        var polls = 0;
        var reports = new List<FlowReport>();
        try
        {
            foreach (var flow in flows)
            {
                await Eventually.Until(() => flow.Running, $"{flow.Name} to deliver its first datagram");
            }
            var watcher = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                while (!watching.IsCancellationRequested)
                {
                    foreach (var block in blocks.Where(b => !router.Has(b)))
                    {
                        absences.Add($"{block} missing at {clock.Elapsed.TotalSeconds:0.00} s");
                    }
                    polls++;
                    await Task.Delay(50);
                }
            });

            var clock = Stopwatch.StartNew();
            output.WriteLine(await lab.Cli.LabAsync(restart));
            output.WriteLine($"`lab {string.Join(' ', restart)}` took {clock.Elapsed.TotalSeconds:0.0} s");
            // A second of traffic after the last restart: the new agents' own announcements must not disturb it either.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await watching.CancelAsync();
            await watcher;
        }
        finally
        {
            await watching.CancelAsync();
            foreach (var flow in flows)
            {
                flow.StopSending();
            }
            await Task.Delay(500);
            foreach (var flow in flows)
            {
                reports.Add(flow.Report());
                flow.Dispose();
            }
        }
        foreach (var report in reports)
        {
            output.WriteLine(report.ToString());
        }
        if (reports.Any(r => r.Missing.Count > 0) || absences.Count > 0)
        {
            // What the agents said about BGP while it happened: the lab directory goes with the fixture.
            foreach (var node in restarted)
            {
                var log = Path.Combine(lab.Cli.LabDir, $"{node.Name}.log");
                foreach (var line in File.Exists(log) ? File.ReadLines(log).Where(l => l.Contains("BGP", StringComparison.Ordinal) || l.Contains("peer", StringComparison.Ordinal)).TakeLast(40) : [])
                {
                    output.WriteLine($"{node.Name}: {line}");
                }
            }
            foreach (var line in router.LogTail(40))
            {
                output.WriteLine($"router: {line}");
            }
        }
        Assert.All(reports, r => Assert.True(r.Missing.Count == 0 && r.Received > 0, $"datagrams lost across `lab {string.Join(' ', restart)}` ({router}): {r}"));
        output.WriteLine($"{router}: {polls} polls of {string.Join(", ", blocks)}");
        Assert.True(polls > 0, "the router's table was never read");
        Assert.True(absences.Count == 0, $"{router} lost restarted nodes' blocks: {string.Join("; ", absences.Take(5))}");
    }
}
