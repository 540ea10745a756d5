using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.Reconcilers.Sysctls;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Reconcilers;

public sealed class SysctlTableTests
{
    private readonly InMemoryFakeKernel _kernel = new();
    private readonly FakeTimeProvider _time = new();
    private readonly SysctlTable _table;

    public SysctlTableTests()
    {
        _kernel.AddSysctl("net/ipv4/ip_forward", "0");
        _kernel.AddSysctl("net/ipv6/conf/all/forwarding", "0");
        _table = new SysctlTable(_kernel, _time);
    }

    private void AddVeth(string device)
    {
        foreach (var key in HostSysctls.ForHostVeth(device, ipv4: true, ipv6: true).Keys)
        {
            _kernel.AddSysctl(key, key.EndsWith("accept_ra", StringComparison.Ordinal) ? "1" : "0");
        }
    }

    [Fact]
    public void Apply_Fresh_TurnsOnForwarding()
    {
        _table.Resync();

        Assert.Null(_table.Apply().Error);

        Assert.Equal("1", _kernel.Sysctls["net/ipv4/ip_forward"]);
        Assert.Equal("1", _kernel.Sysctls["net/ipv6/conf/all/forwarding"]);
    }

    [Fact]
    public void Apply_HostWithoutIPv6_SkipsIPv6KeyWithoutErrorOrRetry()
    {
        var kernel = new InMemoryFakeKernel();
        kernel.AddSysctl("net/ipv4/ip_forward", "0");
        var table = new SysctlTable(kernel, _time);
        table.Resync();

        var outcome = table.Apply();

        Assert.Null(outcome.Error);
        Assert.Null(outcome.WakeAt);
        Assert.Equal("1", kernel.Sysctls["net/ipv4/ip_forward"]);
    }

    [Fact]
    public void Apply_PodVeth_SetsProxyArpNdpAndNoRouterAdvertisements()
    {
        AddVeth("rn1");
        _table.SetInterface("rn1", ipv4: true, ipv6: true);
        _table.Resync();

        _table.Apply();

        Assert.Equal("1", _kernel.Sysctls["net/ipv4/conf/rn1/proxy_arp"]);
        Assert.Equal("0", _kernel.Sysctls["net/ipv4/neigh/rn1/proxy_delay"]);
        Assert.Equal("1", _kernel.Sysctls["net/ipv6/conf/rn1/proxy_ndp"]);
        Assert.Equal("0", _kernel.Sysctls["net/ipv6/conf/rn1/accept_ra"]);
    }

    [Fact]
    public void Apply_VethNotThereYet_RetriedSoonThenApplied()
    {
        _table.SetInterface("rn2", ipv4: true, ipv6: false);
        _table.Resync();

        var outcome = _table.Apply();
        Assert.Null(outcome.Error);
        Assert.NotNull(outcome.WakeAt);
        Assert.Contains("net/ipv4/conf/rn2/proxy_arp", _table.Missing);

        AddVeth("rn2");
        _table.Apply();
        Assert.Equal("1", _kernel.Sysctls["net/ipv4/conf/rn2/proxy_arp"]);
        Assert.Empty(_table.Missing);
    }

    [Fact]
    public void Resync_ValueChangedByHand_RestoredOnApply()
    {
        _table.Resync();
        _table.Apply();
        _kernel.AddSysctl("net/ipv4/ip_forward", "0");

        _table.Resync();
        _table.Apply();

        Assert.Equal("1", _kernel.Sysctls["net/ipv4/ip_forward"]);
    }

    [Fact]
    public void Apply_KernelRefuses_ReportsErrorNamingTheKey()
    {
        _table.Resync();
        _kernel.FailWrites = "EPERM";

        var outcome = _table.Apply();

        Assert.Contains("net/ipv4/ip_forward", outcome.Error, StringComparison.Ordinal);
    }
}
