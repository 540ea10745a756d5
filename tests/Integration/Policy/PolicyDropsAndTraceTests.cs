using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// "Why was this packet dropped?" answered by the published binaries: after a Deny, the agent's
/// drop log names the rule, the pod and the packet (`routednetctl policy drops`), and
/// `routednetctl policy trace` shows the flow's walk through the node's chains ending in that
/// rule's drop. An unprogrammed interface's drops are reported as such.
/// </summary>
public sealed class PolicyDropsAndTraceTests : IAsyncLifetime
{
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static GlobalNetworkPolicy DenyFromA() => new()
    {
        Metadata = new ObjectMeta { Name = "deny-a-to-b" },
        Spec = new PolicySpec
        {
            Selector = "app == 'b'",
            Types = [PolicySpec.TypeIngress],
            Ingress = [new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = "app == 'a'" } }, new PolicyRule { Action = PolicyRule.ActionAllow }],
        },
    };

    [Fact]
    public async Task Deny_DropIsReportedWithRulePodAndPacket_ThroughTheApiAndTheCli()
    {
        var a = await _node.AddLabelledPodAsync("a", "a");
        var b = await _node.AddLabelledPodAsync("b", "b");
        await _node.ApplyAsync(DenyFromA());

        Assert.False(PolicyNode.Pings(a.Pod, b.Address), "x/a -> x/b is denied");

        PolicyDropEvent? drop = null;
        await Eventually.Until(async () =>
        {
            using var call = _node.Node.Api.ListPolicyDrops(new ListPolicyDropsRequest());
            var drops = new List<PolicyDropEvent>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                drops.Add(call.ResponseStream.Current);
            }
            drop = drops.LastOrDefault(d => d.Reason == "rule");
            return drop is not null;
        }, "the agent to report the drop");
        Assert.Equal("ingress", drop!.Direction);
        Assert.Equal("x/b", drop.Endpoint);
        Assert.Equal("deny-a-to-b ingress rule 0", drop.Policy);
        Assert.StartsWith($"{a.Address} -> {b.Address} icmp type 8", drop.Packet, StringComparison.Ordinal);

        var cli = Ctl("policy", "drops", "-o", "json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("\"reason\":\"rule\"", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"endpoint\":\"x/b\"", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_ShowsTheFlowEndingInTheDenyRule()
    {
        var a = await _node.AddLabelledPodAsync("a", "a");
        var b = await _node.AddLabelledPodAsync("b", "b");
        await _node.ApplyAsync(DenyFromA());

        var trace = Task.Run(() => Ctl("--datastore", _node.Node.Datastore, "policy", "trace", "--from", "x/a", "--to", "x/b", "--port", "icmp", "--seconds", "4"));
        // The trace table is in place once the command says so; ping for the rest of its time.
        var deadline = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < deadline && !trace.IsCompleted)
        {
            PolicyNode.Pings(a.Pod, b.Address);
        }
        var result = await trace;

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"packet {a.Address} -> {b.Address} icmp type 8", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"rule deny-a-to-b#i0\s+drop\s+\(deny-a-to-b ingress rule 0\)", result.Stdout);
    }

    [Fact]
    public async Task Drops_BadNode_OneLineError()
    {
        var result = Ctl("policy", "drops", "--node", "nosuch");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("--node nosuch", result.Stderr, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private ProcessResult Ctl(params string[] args) =>
        Proc.Run(RepoPaths.Binary("routednetctl"), [.. args, "--node-socket", _node.Node.ApiSocket]);
}
