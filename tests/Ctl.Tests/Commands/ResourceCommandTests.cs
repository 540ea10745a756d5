using System.Text.Json;

namespace RoutedNet.Ctl.Tests.Commands;

public class ResourceCommandTests
{
    private const string PoolAndNode = """
        apiVersion: routednet.io/v1
        kind: IPPool
        metadata:
          name: p1
        spec:
          cidr: 10.244.0.0/16
          blockSize: 26
        ---
        apiVersion: routednet.io/v1
        kind: Node
        metadata:
          name: n1
        spec:
          addresses: [172.18.0.2/24]
        """;

    [Fact]
    public async Task Apply_TwoDocuments_GetShowsThemInEveryFormat()
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("r.yaml", PoolAndNode));

        Assert.True(apply.Exit == 0, apply.Stderr);
        var json = await ctl.RunAsync("get", "ippools", "-o", "json");
        Assert.Equal(0, json.Exit);
        var pool = JsonDocument.Parse(json.Stdout).RootElement;
        var first = pool.ValueKind == JsonValueKind.Array ? pool[0] : pool.GetProperty("items")[0];
        Assert.Equal("10.244.0.0/16", first.GetProperty("spec").GetProperty("cidr").GetString());
        var yaml = await ctl.RunAsync("get", "ippool", "p1", "-o", "yaml");
        Assert.Equal(0, yaml.Exit);
        Assert.Contains("blockSize: 26", yaml.Stdout, StringComparison.Ordinal);
        var table = await ctl.RunAsync("get", "nodes");
        Assert.Equal(0, table.Exit);
        Assert.Contains("n1", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_InvalidResource_NonZeroExitNamesTheField()
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("bad.yaml", PoolAndNode.Replace("10.244.0.0/16", "10.244.0.0/33", StringComparison.Ordinal)));

        Assert.NotEqual(0, apply.Exit);
        Assert.Contains("cidr", apply.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_MissingObject_NonZeroExitNotFound()
    {
        await using var ctl = new CtlProcess();

        var get = await ctl.RunAsync("get", "ippool", "nope");

        Assert.NotEqual(0, get.Exit);
        Assert.Contains("not found", get.Stderr, StringComparison.Ordinal);
    }
}
