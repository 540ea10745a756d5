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
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n", "spec must not be null")]
    [InlineData("apiVersion: routednet.io/v1\nkind: BGPPeer\nmetadata:\n  name: x\nspec:\n  peerIP:\n  asNumber: 64500\n", "spec.peerIP must not be null")]
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

    [Theory]
    [InlineData("apiVersion: routednet.io/v1\nkind: Node\nmetadata:\n  name: n2\nspec:\n  addresses: [172.18.0.300/24]\n")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: p2\nspec:\n  cidr: 10.244.8.0/21\n")]
    [InlineData("apiVersion: routednet.io/v1\nkind: BGPPeer\nmetadata:\n  name: tor\nspec:\n  peerIP: 172.18.0.1\n  asNumber: 64500\n  nodeSelector: rack = r1\n")]
    public async Task Apply_ThirdDocumentRefused_NothingApplied(string third)
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("r.yaml", PoolAndNode + "\n---\n" + third));

        Assert.Equal(2, apply.Exit);
        Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<IPPool>()).Items);
        Assert.Empty((await store.ListAsync<Node>()).Items);
    }

    [Fact]
    public async Task Create_SecondDocumentExists_NothingCreated()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("create", "-f", ctl.File("n.yaml", PoolAndNode[PoolAndNode.IndexOf("---", StringComparison.Ordinal)..]))).Exit);

        var create = await ctl.RunAsync("create", "-f", ctl.File("r.yaml", PoolAndNode));

        Assert.Equal(1, create.Exit);
        Assert.Contains("Node \"n1\" already exists", create.Stderr, StringComparison.Ordinal);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task Apply_Twice_SecondReplacesKeepingIdentity()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("r.yaml", PoolAndNode))).Exit);
        await using var store = await ctl.OpenStoreAsync();
        var before = await store.GetAsync<Node>("n1");

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("r2.yaml", PoolAndNode.Replace("172.18.0.2/24", "172.18.0.9/24", StringComparison.Ordinal)));

        Assert.True(apply.Exit == 0, apply.Stderr);
        var after = await store.GetAsync<Node>("n1");
        Assert.Equal(["172.18.0.9/24"], after.Spec.Addresses);
        Assert.Equal(before.Metadata.Uid, after.Metadata.Uid);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("create")]
    [InlineData("delete")]
    public async Task WriteIpamBookkeepingKind_WithoutAllowFlag_RefusedExit2(string verb)
    {
        await using var ctl = new CtlProcess();
        var path = ctl.File("b.yaml", Handle);

        var refused = await ctl.RunAsync(verb, "-f", path);

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--allow-ipam-kinds", refused.Stderr, StringComparison.Ordinal);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task WriteIpamBookkeepingKind_WithAllowFlag_Written()
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "--allow-ipam-kinds", "-f", ctl.File("b.yaml", Handle));

        Assert.True(apply.Exit == 0, apply.Stderr);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Single((await store.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task DeletePool_AddressesAllocated_RefusedThenForceSaysWhatRemains()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("r.yaml", PoolAndNode))).Exit);
        await using (var store = await ctl.OpenStoreAsync())
        {
            await new RoutedNet.Ipam.IpamClient(store).AllocateAsync(new RoutedNet.Ipam.Allocation.AllocationRequest { HandleId = "h1", Node = "n1", IPv4Count = 2 });
        }
        var pool = ctl.File("p.yaml", PoolAndNode[..PoolAndNode.IndexOf("---", StringComparison.Ordinal)]);

        var refused = await ctl.RunAsync("delete", "-f", pool);
        var forced = await ctl.RunAsync("delete", "--force", "-f", pool);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("2 allocated addresses", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.True(forced.Exit == 0, forced.Stderr);
        Assert.Contains("IPPool \"p1\" deleted", forced.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 addresses in 1 block remain allocated", forced.Stdout, StringComparison.Ordinal);
    }

    private const string Handle = """
        apiVersion: routednet.io/v1
        kind: IPAMHandle
        metadata:
          name: k8s.c1.eth0
        spec:
          handleId: k8s.c1.eth0
        """;

    [Fact]
    public async Task Get_OneStoredPoolNoLongerDecodes_OthersShownItIsNamedOnStderr()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("r.yaml", PoolAndNode + "\n---\n" + PoolAndNode[..PoolAndNode.IndexOf("---", StringComparison.Ordinal)].Replace("p1", "p2", StringComparison.Ordinal).Replace("10.244.0.0/16", "10.245.0.0/16", StringComparison.Ordinal)))).Exit);
        ctl.ExecuteSql("UPDATE resources SET value = CAST('{\"spec\":{\"blockSize\":\"big\"}}' AS BLOB) WHERE name = 'p1';");

        var get = await ctl.RunAsync("get", "ippools");

        Assert.Equal(0, get.Exit);
        Assert.Contains("p2", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: stored IPPool \"p1\" does not decode", get.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StoreFileDamaged_OneLineExit1NotUnreachable()
    {
        await using var ctl = new CtlProcess();
        var path = ctl.File("store.db", new string('x', 8192));

        var get = await CtlProcess.RunWithAsync("--datastore", "sqlite://" + path, "get", "ippools");

        Assert.Equal(1, get.Exit);
        Assert.Contains("is damaged", Assert.Single(get.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
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
