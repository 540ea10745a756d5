using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Integration.Cni;

/// <summary>A step that fails after IPAM succeeded leaves no interface, route or address behind.</summary>
public sealed class CniFailureCleanupTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    // The metric 100 route would not collide with ours in an exclusive add: it is the lookup that finds it.
    [Theory]
    [InlineData("")]
    [InlineData("metric 100")]
    public async Task Add_HostRouteOwnedByOtherInterface_ErrorNamesItAndAllUndone(string metric)
    {
        var pod = _node.NewPod();
        // host-local hands out the first address of the range: the node already routes it elsewhere.
        const string Taken = "10.250.0.2";
        _node.Ip(["route", "add", Taken + "/32", "dev", UplinkName, .. metric.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        var add = await _node.Run("ADD", pod, _node.Config());

        Assert.Equal(101, add.ErrorCode);
        Assert.Contains(UplinkName, add.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_node.OurVeths());
        Assert.DoesNotContain("eth0", pod.Ip("link", "show"), StringComparison.Ordinal);
        Assert.False(_node.IsAllocated(Taken));
        Assert.Equal(0, _node.AllocatedCount());
        Assert.Empty(Directory.Exists(_node.RecordsDir) ? Directory.EnumerateFiles(_node.RecordsDir, "*", SearchOption.AllDirectories) : []);
        // The other owner's route is untouched.
        Assert.Equal($"{Taken} dev {UplinkName} scope link {metric}".Trim(), _node.Ip("route", "show", Taken + "/32").Trim());
    }

    [Fact]
    public async Task Add_HostRouteIsABlackhole_ErrorSaysSoAndAllUndone()
    {
        var pod = _node.NewPod();
        const string Taken = "10.250.0.2";
        _node.Ip("route", "add", "blackhole", Taken + "/32");

        var add = await _node.Run("ADD", pod, _node.Config());

        Assert.Equal(101, add.ErrorCode);
        Assert.Contains("a blackhole route", add.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_node.OurVeths());
        Assert.Equal(0, _node.AllocatedCount());
        Assert.Equal($"blackhole {Taken}", _node.Ip("route", "show", Taken + "/32").Trim());
    }

    [Fact]
    public async Task Add_PodRefusesIPv6AfterVethMade_VethGoneAndBothAddressesReleased()
    {
        var pod = _node.NewPod();
        // eth0 is born with IPv6 disabled, so the kernel refuses the /128: a failure in the middle
        // of the pod side, after IPAM gave out two addresses and the veth exists.
        pod.Netns.Check("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6");

        var add = await _node.Run("ADD", pod, _node.Config(dualStack: true));

        Assert.Equal(102, add.ErrorCode);
        Assert.Contains("fd00:250::", add.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_node.OurVeths());
        Assert.DoesNotContain("eth0", pod.Ip("link", "show"), StringComparison.Ordinal);
        Assert.Equal("", _node.Ip("route", "show", "proto", "80").Trim());
        Assert.Equal(0, _node.AllocatedCount());
    }

    [Fact]
    public async Task Add_AfterFailedAdd_SamePodSucceeds()
    {
        var pod = _node.NewPod();
        _node.Ip("route", "add", "10.250.0.2/32", "dev", UplinkName);
        Assert.False((await _node.Run("ADD", pod, _node.Config())).Succeeded);
        _node.Ip("route", "del", "10.250.0.2/32", "dev", UplinkName);

        var add = await _node.Run("ADD", pod, _node.Config());

        Assert.True(add.Succeeded, add.Stdout + add.Stderr);
        Assert.Equal([add.HostInterface], _node.OurVeths());
        Assert.Equal(1, _node.AllocatedCount());
    }
}
