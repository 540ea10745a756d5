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
        var gc = await ctl.RunAsync("ipam", "gc", "--live", ctl.File("live", "[]"), "--grace-period", "0");
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
}
