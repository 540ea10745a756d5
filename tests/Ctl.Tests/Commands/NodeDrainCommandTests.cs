using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>
/// `node drain NODE [--wait]` and `node uncordon NODE` write and remove the Node's spec.drain in the
/// datastore (the agent on that node carries it out); a second drain keeps the first one's times;
/// bad input is one line and nothing written.
/// </summary>
public class NodeDrainCommandTests
{
    private const string Node = """
        apiVersion: routednet.io/v1
        kind: Node
        metadata:
          name: node1
          labels:
            rack: r1
        spec:
          addresses: [172.18.0.2/24]
          asNumber: 64513
        """;

    private static async Task<CtlProcess> WithNodeAsync()
    {
        var ctl = new CtlProcess();
        var apply = await ctl.RunAsync("apply", "-f", ctl.File("node.yaml", Node));
        Assert.True(apply.Exit == 0, apply.Stderr);
        return ctl;
    }

    private static async Task<Node> ReadAsync(CtlProcess ctl)
    {
        var store = await ctl.OpenStoreAsync();
        await using (store)
        {
            return (await store.TryGetAsync<Node>("node1"))!;
        }
    }

    [Fact]
    public async Task Drain_WritesSpecDrainKeepingTheRest_SecondDrainChangesNothing_UncordonRemovesIt()
    {
        await using var ctl = await WithNodeAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var drain = await ctl.RunAsync("node", "drain", "node1", "--wait", "2m");

        Assert.True(drain.Exit == 0, drain.Stderr);
        Assert.Contains("node node1 draining: its routes carry GRACEFUL_SHUTDOWN (65535:0) until", drain.Stdout, StringComparison.Ordinal);
        var drained = await ReadAsync(ctl);
        var spec = Assert.IsType<NodeDrain>(drained.Spec.Drain);
        Assert.Equal(120, spec.GracefulShutdownSeconds);
        Assert.InRange(spec.Since, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal((64513u, "r1"), (drained.Spec.AsNumber!.Value, drained.Metadata.Labels!["rack"]));
        Assert.Equal(["172.18.0.2/24"], drained.Spec.Addresses);

        var again = await ctl.RunAsync("node", "drain", "node1", "--wait", "0");

        Assert.True(again.Exit == 0, again.Stderr);
        Assert.Contains("already draining", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(spec, (await ReadAsync(ctl)).Spec.Drain);

        var uncordon = await ctl.RunAsync("node", "uncordon", "node1");

        Assert.True(uncordon.Exit == 0, uncordon.Stderr);
        Assert.Equal("node node1 back in service: its agent opens its BGP sessions and announces its routes again\n", uncordon.Stdout);
        Assert.Null((await ReadAsync(ctl)).Spec.Drain);
        Assert.Contains("not drained", (await ctl.RunAsync("node", "uncordon", "node1")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_WaitZero_SaysWithdrawnNow()
    {
        await using var ctl = await WithNodeAsync();

        var drain = await ctl.RunAsync("node", "drain", "node1", "--wait", "0");

        Assert.True(drain.Exit == 0, drain.Stderr);
        Assert.StartsWith("node node1 drained: its agent withdraws every route", drain.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await ReadAsync(ctl)).Spec.Drain!.GracefulShutdownSeconds);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("61m")]
    [InlineData("3601")]
    public async Task Drain_BadWait_Exit2OneLineNothingWritten(string wait)
    {
        await using var ctl = await WithNodeAsync();

        var drain = await ctl.RunAsync("node", "drain", "node1", "--wait", wait);

        Assert.Equal(2, drain.Exit);
        Assert.Single(drain.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--wait", drain.Stderr, StringComparison.Ordinal);
        Assert.Null((await ReadAsync(ctl)).Spec.Drain);
    }

    [Theory]
    [InlineData("drain")]
    [InlineData("uncordon")]
    public async Task UnknownNode_Exit1OneLine(string command)
    {
        await using var ctl = await WithNodeAsync();

        var result = await ctl.RunAsync("node", command, "node9");

        Assert.Equal(1, result.Exit);
        Assert.Equal("node \"node9\" not found", result.Stderr.Trim().Split(": ", 2)[^1]);
    }
}
