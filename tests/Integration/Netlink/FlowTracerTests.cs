using System.Net;
using RoutedNet.Netlink.Nftables.Tracing;

using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// `policy trace` on one node against the kernel: only the traced flow is reported, each step
/// names the rule by its comment (the policy rule id) and what that id means, and the trace
/// table is gone afterwards. Rules by the real nft; traffic on the namespace's loopback.
/// </summary>
public sealed class FlowTracerTests : IDisposable
{
    private const string Ruleset = """
        table inet routednet {
            chain input {
                type filter hook input priority filter - 5; policy accept;
                udp dport 5353 counter drop comment "p1-i#0"
            }
        }
        """;

    private readonly NftablesScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task Trace_ReportsTheDecidingRuleOfTheTracedFlowOnly_AndRemovesItsTable()
    {
        _scope.NftFile(Ruleset);
        var tracer = new FlowTracer(
            () => NftablesHandle.OpenNamespace(_scope.Ns.Path),
            () => NftTraceMonitor.OpenNamespace(_scope.Ns.Path),
            id => id == "p1-i#0" ? "x/deny-dns ingress rule 0" : null);
        var steps = new List<TraceStep>();
        var filter = new TraceFilter(null, IPAddress.Loopback, 17, 5353);

        var trace = tracer.RunAsync(filter, TimeSpan.FromSeconds(2), s => { lock (steps) { steps.Add(s); } return Task.CompletedTask; }, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!_scope.Nft("list", "tables").Contains(TraceTable.Name, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the trace table never appeared");
            await Task.Delay(20);
        }
        _scope.Ns.Exec("bash", "-c", "echo other > /dev/udp/127.0.0.1/5354; echo dns > /dev/udp/127.0.0.1/5353");
        await trace;

        Assert.DoesNotContain(TraceTable.Name, _scope.Nft("list", "tables"), StringComparison.Ordinal);
        Assert.DoesNotContain(steps, s => s.Packet?.DestinationPort == 5354);
        var drop = Assert.Single(steps, s => s.Verdict == "drop");
        Assert.Equal(("routednet", "input", "p1-i#0", "x/deny-dns ingress rule 0"), (drop.Table, drop.Chain, drop.Rule, drop.Policy));
        Assert.Contains(steps, s => s.Packet is { DestinationPort: 5353, Protocol: 17 });
        Assert.DoesNotContain(steps, s => s.Table == TraceTable.Name);
    }

    [Fact]
    public async Task Trace_WithoutAnyAddress_RefusedBeforeTouchingTheKernel()
    {
        var tracer = new FlowTracer(() => throw new InvalidOperationException(), () => throw new InvalidOperationException(), _ => null);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => tracer.RunAsync(new TraceFilter(null, null, 6, 80), TimeSpan.FromSeconds(1), _ => Task.CompletedTask, CancellationToken.None));

        Assert.StartsWith("give a source or a destination address", error.Message, StringComparison.Ordinal);
    }
}
