using System.Text.Json;
using RoutedNet.Datastore.Resources;

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

    [Theory]
    [InlineData("apiVersion: routednet.io/v1\nkind: 5\nmetadata:\n  name: x\n", "\"kind\" must be a string")]
    [InlineData("apiVersion: 1\nkind: IPPool\nmetadata:\n  name: x\n", "\"apiVersion\" must be a string")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  cidr: 10.0.0.0/8\n  blocksize: 26\n", "unknown field spec.blocksize")]
    public async Task Apply_MalformedDocument_OneLineNoStackTraceExit2(string text, string expected)
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("bad.yaml", text));

        Assert.Equal(2, apply.Exit);
        var line = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task Get_MissingObject_NonZeroExitNotFound()
    {
        await using var ctl = new CtlProcess();

        var get = await ctl.RunAsync("get", "ippool", "nope");

        Assert.NotEqual(0, get.Exit);
        Assert.Contains("not found", get.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etcd://127.0.0.1:1", "cannot reach the datastore", 3)]
    [InlineData("mysql://db", "bad datastore URL", 2)]
    public async Task Get_DatastoreUnreachableOrBad_ClearErrorNonZeroExit(string url, string message, int exit)
    {
        var get = await CtlProcess.RunWithAsync("--datastore", url, "get", "ippools");

        Assert.Equal(exit, get.Exit);
        Assert.Contains(message, get.Stderr, StringComparison.Ordinal);
        Assert.Empty(get.Stdout);
    }
}
