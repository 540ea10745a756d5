namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The real kubectl writes, reads and deletes RoutedNet resources on the stand-in API server:
/// printer columns, categories, label selectors, server-side and client-side apply, the schema's
/// refusals (unknown fields under --validate=strict, values out of range) and the CEL rule that
/// keeps an IPPool's range fixed.
/// </summary>
public sealed class KubectlResourceTests(StandIn cluster) : IClassFixture<StandIn>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.InstallCrdsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ApplyServerSide_OneOfEachKind_GetShowsTheirPrinterColumns()
    {
        var applied = await cluster.Kubectl.CheckAsync("apply", "--server-side", "-f", StandIn.TestData("resources.yaml"));

        var pools = await cluster.Kubectl.CheckAsync("get", "ippools");
        var blocks = await cluster.Kubectl.CheckAsync("get", "ipamblocks");
        var affinities = await cluster.Kubectl.CheckAsync("get", "blockaffinities");
        var peers = await cluster.Kubectl.CheckAsync("get", "bgppeers");
        var handles = await cluster.Kubectl.CheckAsync("get", "ipamhandles");

        Assert.Equal(8, applied.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(" serverside-applied", StringComparison.Ordinal)));
        Assert.StartsWith("NAME", pools, StringComparison.Ordinal);
        Assert.Equal(["NAME", "CIDR", "BLOCK SIZE", "DISABLED", "NODE SELECTOR", "AGE"], KubectlTable.Parse(pools)[0].Keys);
        var v4 = KubectlTable.Row(pools, "pool-v4");
        // kubectl prints nothing for a column whose field is absent (pool-v4 sets no `disabled`).
        Assert.Equal(("10.244.0.0/16", "26", "", "all()"), (v4["CIDR"], v4["BLOCK SIZE"], v4["DISABLED"], v4["NODE SELECTOR"]));
        var v6 = KubectlTable.Row(pools, "pool-v6");
        Assert.Equal(("fd00:244::/56", "", "true", ""), (v6["CIDR"], v6["BLOCK SIZE"], v6["DISABLED"], v6["NODE SELECTOR"]));
        var block = KubectlTable.Row(blocks, "10-244-1-0-30");
        Assert.Equal(("10.244.1.0/30", "host:node-1"), (block["CIDR"], block["AFFINITY"]));
        var affinity = KubectlTable.Row(affinities, "node-1-10-244-1-0-30");
        Assert.Equal(("node-1", "10.244.1.0/30", "confirmed"), (affinity["NODE"], affinity["CIDR"], affinity["STATE"]));
        var peer = KubectlTable.Row(peers, "tor-r1");
        Assert.Equal(("172.18.0.1", "65000", "", "rack == \"r1\""), (peer["PEER IP"], peer["AS"], peer["NODE"], peer["NODE SELECTOR"]));
        Assert.Equal("k8s-pod-network.abc", KubectlTable.Row(handles, "k8s-pod-network.abc")["HANDLE"]);
    }

    [Fact]
    public async Task GetByCategory_Routednet_ListsEveryKind()
    {
        await cluster.Kubectl.CheckAsync("apply", "--server-side", "-f", StandIn.TestData("resources.yaml"));

        var all = await cluster.Kubectl.CheckAsync("get", "routednet", "-o", "name");

        foreach (var name in new[]
        {
            "ippool.routednet.io/pool-v4", "ipamconfig.routednet.io/default", "bgpconfiguration.routednet.io/default",
            "bgppeer.routednet.io/tor-r1", "ipamblock.routednet.io/10-244-1-0-30",
            "blockaffinity.routednet.io/node-1-10-244-1-0-30", "ipamhandle.routednet.io/k8s-pod-network.abc",
        })
        {
            Assert.Contains(name, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_SameNameTwice_SecondIsAlreadyExists()
    {
        var pool = Pool("create-twice", "10.30.0.0/16");

        var first = await cluster.Kubectl.WithManifestAsync(pool, "create");
        var second = await cluster.Kubectl.WithManifestAsync(pool, "create");

        Assert.True(first.Succeeded, first.Stderr);
        Assert.Contains("ippool.routednet.io/create-twice created", first.Stdout, StringComparison.Ordinal);
        Assert.False(second.Succeeded);
        Assert.Contains("Error from server (AlreadyExists)", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("ippools.routednet.io \"create-twice\" already exists", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWithLabelSelector_ListsOnlyTheMatchingPools()
    {
        await cluster.Kubectl.WithManifestAsync(
            Pool("sel-a", "10.40.0.0/16", "rack: r1\n    sel: \"yes\"") + "---\n" + Pool("sel-b", "10.41.0.0/16", "rack: r2\n    sel: \"yes\"") + "---\n" + Pool("sel-c", "10.42.0.0/16", "sel: \"yes\""),
            "apply", "--server-side");

        var r1 = await Names("-l", "sel=yes,rack=r1");
        var notR1 = await Names("-l", "sel=yes,rack!=r1");
        var inSet = await Names("-l", "sel=yes,rack in (r1,r2)");
        var noRack = await Names("-l", "sel=yes,!rack");

        Assert.Equal(["sel-a"], r1);
        Assert.Equal(["sel-b", "sel-c"], notR1);
        Assert.Equal(["sel-a", "sel-b"], inSet);
        Assert.Equal(["sel-c"], noRack);
    }

    [Theory]
    [InlineData("apply", "--server-side")]
    [InlineData("apply", "--validate=true")]
    public async Task ApplyEdit_PoolCidrOrBlockSize_RefusedByTheCelRuleWithTheRenumberingSteps(string verb, string mode)
    {
        var name = "renumber-" + (mode == "--server-side" ? "ssa" : "csa");
        (await cluster.Kubectl.WithManifestAsync(Pool(name, "10.50.0.0/16"), verb, mode)).EnsureSuccess();

        var cidr = await cluster.Kubectl.WithManifestAsync(Pool(name, "10.51.0.0/16"), verb, mode);
        var blockSize = await cluster.Kubectl.WithManifestAsync(Pool(name, "10.50.0.0/16").Replace("blockSize: 26", "blockSize: 28", StringComparison.Ordinal), verb, mode);
        var disabled = await cluster.Kubectl.WithManifestAsync(Pool(name, "10.50.0.0/16") + "  disabled: true\n", verb, mode);
        var stored = await cluster.Kubectl.CheckAsync("get", "ippool", name, "-o", "jsonpath={.spec.cidr} {.spec.blockSize} {.spec.disabled}");

        Assert.False(cidr.Succeeded);
        Assert.Contains("spec.cidr is immutable: to renumber, create a new IPPool with the new range, set disabled: true on this one, recreate its pods, then delete it", cidr.Stderr, StringComparison.Ordinal);
        Assert.False(blockSize.Succeeded);
        Assert.Contains("spec.blockSize is immutable", blockSize.Stderr, StringComparison.Ordinal);
        Assert.True(disabled.Succeeded, disabled.Stderr);
        Assert.Equal("10.50.0.0/16 26 true", stored);
    }

    [Fact]
    public async Task ApplyEdit_BlockSizeWrittenOutAsTheDefault_AcceptedAndAnyOtherRefused()
    {
        var without = Pool("default-size", "10.55.0.0/16").Replace("  blockSize: 26\n", "", StringComparison.Ordinal);
        (await cluster.Kubectl.WithManifestAsync(without, "apply", "--server-side")).EnsureSuccess();

        var other = await cluster.Kubectl.WithManifestAsync(without + "  blockSize: 26\n", "apply", "--server-side");
        var same = await cluster.Kubectl.WithManifestAsync(without + "  blockSize: 24\n", "apply", "--server-side");

        Assert.False(other.Succeeded);
        Assert.Contains("spec.blockSize is immutable (absent means 24 for IPv4, 122 for IPv6)", other.Stderr, StringComparison.Ordinal);
        Assert.True(same.Succeeded, same.Stderr);
    }

    [Fact]
    public async Task ApplyUnknownField_ValidateStrict_RefusedNamingTheField()
    {
        var typo = Pool("typo", "10.60.0.0/16").Replace("blockSize:", "blocksize:", StringComparison.Ordinal);

        var result = await cluster.Kubectl.WithManifestAsync(typo, "apply", "--validate=strict");
        var get = await cluster.Kubectl.RunAsync("get", "ippool", "typo");

        Assert.False(result.Succeeded);
        Assert.Contains("unknown field \"spec.blocksize\"", result.Stderr, StringComparison.Ordinal);
        Assert.False(get.Succeeded);
    }

    [Theory]
    [InlineData("ippool", "spec:\n  cidr: 10.70.0.0/16\n  blockSize: 10\n", "spec.blockSize", "should be greater than or equal to 20")]
    [InlineData("ippool", "spec:\n  cidr: 10.70.0.0\n", "spec.cidr", "should match")]
    [InlineData("ippool", "spec:\n  blockSize: 26\n", "spec.cidr", "Required value")]
    [InlineData("ippool", "spec:\n  cidr: 10.70.0.0/16\n  disabled: \"yes\"\n", "spec.disabled", "must be of type boolean")]
    [InlineData("bgppeer", "spec:\n  asNumber: 65000\n", "spec.peerIP", "Required value")]
    [InlineData("bgppeer", "spec:\n  peerIP: 172.18.0.1\n  asNumber: 4294967296\n", "spec.asNumber", "should be less than or equal to 4294967295")]
    [InlineData("blockaffinity", "spec:\n  node: n1\n  cidr: 10.70.0.0/26\n  state: bogus\n", "spec.state", "Unsupported value: \"bogus\"")]
    public async Task Create_ValueTheSchemaRefuses_InvalidNamingTheField(string kind, string spec, string field, string why)
    {
        var kinds = new Dictionary<string, string> { ["ippool"] = "IPPool", ["bgppeer"] = "BGPPeer", ["blockaffinity"] = "BlockAffinity" };
        var name = "invalid-" + new string([.. why.Where(char.IsAsciiLetterOrDigit).Take(24)]).ToLowerInvariant();
        var manifest = $"apiVersion: routednet.io/v1\nkind: {kinds[kind]}\nmetadata:\n  name: {name}\n{spec}";

        var result = await cluster.Kubectl.WithManifestAsync(manifest, "create");

        Assert.False(result.Succeeded);
        Assert.Contains($"The {kinds[kind]} \"{name}\" is invalid: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(field, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Pool_ThenGetIsNotFound()
    {
        await cluster.Kubectl.WithManifestAsync(Pool("doomed", "10.80.0.0/16"), "create");

        var deleted = await cluster.Kubectl.CheckAsync("delete", "ippool", "doomed");
        var get = await cluster.Kubectl.RunAsync("get", "ippool", "doomed");

        Assert.Contains("ippool.routednet.io \"doomed\" deleted", deleted, StringComparison.Ordinal);
        Assert.False(get.Succeeded);
        Assert.Contains("Error from server (NotFound): ippools.routednet.io \"doomed\" not found", get.Stderr, StringComparison.Ordinal);
    }

    private async Task<string[]> Names(params string[] selector) =>
        (await cluster.Kubectl.CheckAsync(["get", "ippools", .. selector, "-o", "jsonpath={.items[*].metadata.name}"]))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

    internal static string Pool(string name, string cidr, string? labels = null) =>
        $"apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: {name}\n" +
        (labels is null ? "" : $"  labels:\n    {labels}\n") +
        $"spec:\n  cidr: {cidr}\n  blockSize: 26\n";
}
