using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;

namespace RoutedNet.Ctl.Tests.Commands;

public class IpamCommandTests
{
    private static async Task SeedAsync(CtlProcess ctl, params string[] handles)
    {
        await using var store = await ctl.OpenStoreAsync();
        await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p1" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16" } });
        var ipam = new IpamClient(store);
        foreach (var handle in handles)
        {
            await ipam.AllocateAsync(new AllocationRequest { HandleId = handle, Node = "n1", IPv4Count = 1 });
        }
    }

    [Fact]
    public async Task Check_Consistent_ExitZero()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");

        var check = await ctl.RunAsync("ipam", "check");

        Assert.True(check.Exit == 0, check.Stdout + check.Stderr);
        Assert.Contains("1 allocations", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("OK", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckLive_HandleNotLive_ExitOneListsLeak_GcReleasesIt()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0", "net1.b.eth0");
        var live = ctl.File("live", "net1.a.eth0\n");

        var check = await ctl.RunAsync("ipam", "check", "--live", live);

        Assert.Equal(1, check.Exit);
        Assert.Contains("leaked: handle net1.b.eth0", check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked: handle net1.a.eth0", check.Stdout, StringComparison.Ordinal);

        var gc = await ctl.RunAsync("ipam", "gc", "--live", live, "--grace-period", "0");

        Assert.Equal(0, gc.Exit);
        Assert.Contains("released handle net1.b.eth0", gc.Stdout, StringComparison.Ordinal);
        var after = await ctl.RunAsync("ipam", "check", "--live", live);
        Assert.True(after.Exit == 0, after.Stdout);
        Assert.Contains("1 allocations", after.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_NodeAndNetworkScope_ReleasesOnlyThatNodesDeadHandlesOfThatNetwork()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl);
        await using (var store = await ctl.OpenStoreAsync())
        {
            var ipam = new IpamClient(store);
            foreach (var (network, container, node) in new[] { ("net1", "a", "n1"), ("net1", "b", "n2"), ("net1.x", "c", "n1") })
            {
                await ipam.AllocateAsync(new AllocationRequest
                {
                    HandleId = $"{network}.{container}.eth0",
                    Node = node,
                    IPv4Count = 1,
                    Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = node, [AttributeKeys.ContainerId] = container, [AttributeKeys.Interface] = "eth0" },
                });
            }
        }

        var gc = await ctl.RunAsync("ipam", "gc", "--live", ctl.File("live", "[]"), "--grace-period", "0", "--node", "n1", "--network", "net1", "--none-live");

        Assert.True(gc.Exit == 0, gc.Stdout + gc.Stderr);
        Assert.Contains("released handle net1.a.eth0", gc.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 handle(s) released (node n1, network net1)", gc.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_WithoutLiveList_UsageErrorNothingReleased()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");

        var gc = await ctl.RunAsync("ipam", "gc", "--grace-period", "0");

        Assert.NotEqual(0, gc.Exit);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Single((await store.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task Gc_EmptyLiveList_RefusedUnlessNoneLiveSaid()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");
        var empty = ctl.File("live", "\n");

        var refused = await ctl.RunAsync("ipam", "gc", "--live", empty, "--grace-period", "0");
        await using (var store = await ctl.OpenStoreAsync())
        {
            Assert.Single((await store.ListAsync<IPAMHandle>()).Items);
        }
        var forced = await ctl.RunAsync("ipam", "gc", "--live", empty, "--grace-period", "0", "--none-live");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--none-live", refused.Stderr, StringComparison.Ordinal);
        Assert.True(forced.Exit == 0, forced.Stderr);
        await using var after = await ctl.OpenStoreAsync();
        Assert.Empty((await after.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task Check_StalePendingAffinity_ExitOne_GcRemovesIt()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl);
        await using (var store = await ctl.OpenStoreAsync())
        {
            await store.CreateAsync(new BlockAffinity
            {
                Metadata = new ObjectMeta { Name = "n9-10-244-9-0-24" },
                Spec = new BlockAffinitySpec { Node = "n9", Cidr = "10.244.9.0/24", State = BlockAffinitySpec.StatePending },
            });
        }

        var check = await ctl.RunAsync("ipam", "check");
        var gc = await ctl.RunAsync("ipam", "gc", "--live", ctl.File("live", "[]"), "--grace-period", "0", "--none-live");
        var after = await ctl.RunAsync("ipam", "check");

        Assert.Equal(1, check.Exit);
        Assert.Contains("stale: pending block affinity n9-10-244-9-0-24", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, gc.Exit);
        Assert.True(after.Exit == 0, after.Stdout);
    }

    [Fact]
    public async Task Show_Blocks_PoolAndBlockRowsWithOwner()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");

        var show = await ctl.RunAsync("ipam", "show", "--show-blocks");

        Assert.Equal(0, show.Exit);
        Assert.Contains("10.244.0.0/16", show.Stdout, StringComparison.Ordinal);
        var block = Assert.Single(show.Stdout.Split('\n'), l => l.StartsWith("block", StringComparison.Ordinal));
        Assert.Contains("n1", block, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseIp_NotAllocated_NonZeroExit()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl);

        var release = await ctl.RunAsync("ipam", "release", "--ip", "10.244.200.1");

        Assert.Equal(1, release.Exit);
        Assert.Contains("is not allocated", release.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DatastoreUnreachable_ClearErrorExit3()
    {
        var check = await CtlProcess.RunWithAsync("--datastore", "etcd://127.0.0.1:1", "ipam", "check");

        Assert.Equal(3, check.Exit);
        Assert.Contains("cannot reach the datastore", check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_OutputJson_PoolsWithBlocksAndOwner()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");

        var show = await ctl.RunAsync("ipam", "show", "-o", "json");

        Assert.True(show.Exit == 0, show.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(show.Stdout);
        var pool = Assert.Single(json.RootElement.GetProperty("pools").EnumerateArray());
        Assert.Equal("p1", pool.GetProperty("name").GetString());
        Assert.Equal(65536, pool.GetProperty("total").GetInt64());
        Assert.Equal(1, pool.GetProperty("inUse").GetInt64());
        var block = Assert.Single(pool.GetProperty("blocks").EnumerateArray());
        Assert.Equal("n1", block.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Show_OutputYamlAndWide_SameDataOtherForms()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");

        var yaml = await ctl.RunAsync("ipam", "show", "-o", "yaml");
        var wide = await ctl.RunAsync("ipam", "show", "-o", "wide");

        Assert.True(yaml.Exit == 0, yaml.Stderr);
        Assert.Contains("- name: p1", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("inUse: 1", yaml.Stdout, StringComparison.Ordinal);
        Assert.True(wide.Exit == 0, wide.Stderr);
        Assert.Single(wide.Stdout.Split('\n'), l => l.StartsWith("block", StringComparison.Ordinal) && l.Contains("n1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShowIp_OutputJson_HolderAndAttributes()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");
        var address = System.Text.Json.JsonDocument.Parse((await ctl.RunAsync("ipam", "show", "-o", "json")).Stdout)
            .RootElement.GetProperty("pools")[0].GetProperty("blocks")[0].GetProperty("cidr").GetString()!.Split('/')[0];

        var show = await ctl.RunAsync("ipam", "show", "--ip", address, "-o", "json");
        var free = await ctl.RunAsync("ipam", "show", "--ip", "10.244.250.1", "-o", "json");

        Assert.True(show.Exit == 0, show.Stderr);
        using var held = System.Text.Json.JsonDocument.Parse(show.Stdout);
        Assert.Equal("net1.a.eth0", held.RootElement.GetProperty("handle").GetString());
        Assert.True(held.RootElement.GetProperty("allocated").GetBoolean());
        using var notHeld = System.Text.Json.JsonDocument.Parse(free.Stdout);
        Assert.False(notHeld.RootElement.GetProperty("allocated").GetBoolean());
    }

    [Fact]
    public async Task CheckAndGc_OutputJson_LeakListedExitOne_ThenReleased()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0", "net1.b.eth0");
        var live = ctl.File("live", "net1.a.eth0\n");

        var check = await ctl.RunAsync("ipam", "check", "--live", live, "-o", "json");
        var gc = await ctl.RunAsync("ipam", "gc", "--live", live, "--grace-period", "0", "-o", "yaml");

        Assert.Equal(1, check.Exit);
        using var report = System.Text.Json.JsonDocument.Parse(check.Stdout);
        Assert.False(report.RootElement.GetProperty("clean").GetBoolean());
        Assert.Equal("net1.b.eth0", Assert.Single(report.RootElement.GetProperty("leaked").EnumerateArray()).GetProperty("handle").GetString());
        Assert.True(gc.Exit == 0, gc.Stderr);
        Assert.Equal("scope:\n  node: null\n  network: null\nreleased:\n- net1.b.eth0\n", gc.Stdout);
    }

    [Fact]
    public async Task ReleaseAndConfigure_OutputJson_WhatWasDone()
    {
        await using var ctl = new CtlProcess();
        await SeedAsync(ctl, "net1.a.eth0");
        var address = System.Text.Json.JsonDocument.Parse((await ctl.RunAsync("ipam", "show", "-o", "json")).Stdout)
            .RootElement.GetProperty("pools")[0].GetProperty("blocks")[0].GetProperty("cidr").GetString()!.Split('/')[0];

        var release = await ctl.RunAsync("ipam", "release", "--ip", address, "-o", "json");
        var configure = await ctl.RunAsync("ipam", "configure", "--max-blocks-per-host", "4", "-o", "json");

        Assert.True(release.Exit == 0, release.Stderr);
        using var released = System.Text.Json.JsonDocument.Parse(release.Stdout);
        Assert.Equal("net1.a.eth0", released.RootElement.GetProperty("handle").GetString());
        Assert.True(configure.Exit == 0, configure.Stderr);
        using var config = System.Text.Json.JsonDocument.Parse(configure.Stdout);
        Assert.Equal(4, config.RootElement.GetProperty("maxBlocksPerHost").GetInt32());
    }
}
