using System.Net.Sockets;
using RoutedNet.Netlink;

namespace RoutedNet.Integration.Netlink;

public sealed class DeviceSettingsTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void SetIPv4DeviceSettings_SeveralKeys_ProcSysShowsEachOnThatLinkOnly()
    {
        var veth = _scope.UpVeth();

        _scope.Handle.SetIPv4DeviceSettings(veth.Index,
        [
            new(IPv4DeviceSetting.ProxyArp, 1),
            new(IPv4DeviceSetting.Forwarding, 1),
            new(IPv4DeviceSetting.RouteLocalnet, 1),
        ]);

        foreach (var key in new[] { "proxy_arp", "forwarding", "route_localnet" })
        {
            Assert.Equal("1", InterfaceSysctls.Get(SysctlTree.IPv4Conf, "rnt0", key, _scope.Host.Path));
            Assert.Equal("0", InterfaceSysctls.Get(SysctlTree.IPv4Conf, "rnt0p", key, _scope.Host.Path));
        }
    }

    [Fact]
    public void SetNeighbourProxyDelay_Zero_ProcSysShowsZeroOnThatLinkOnly()
    {
        var veth = _scope.UpVeth();
        var before = InterfaceSysctls.Get(SysctlTree.IPv4Neigh, "rnt0p", "proxy_delay", _scope.Host.Path);

        _scope.Handle.SetNeighbourProxyDelay(AddressFamily.InterNetwork, veth.Index, TimeSpan.Zero);

        Assert.NotEqual("0", before);
        Assert.Equal("0", InterfaceSysctls.Get(SysctlTree.IPv4Neigh, "rnt0", "proxy_delay", _scope.Host.Path));
        Assert.Equal(before, InterfaceSysctls.Get(SysctlTree.IPv4Neigh, "rnt0p", "proxy_delay", _scope.Host.Path));
    }

    [Fact]
    public void SetIPv4DeviceSettings_LinkMissing_ThrowsEnodev()
    {
        var error = Assert.Throws<NetlinkException>(() => _scope.Handle.SetIPv4DeviceSettings(999_999, [new(IPv4DeviceSetting.ProxyArp, 1)]));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains("proxy_arp=1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetNeighbourProxyDelay_LinkMissing_ThrowsEnoent()
    {
        var error = Assert.Throws<NetlinkException>(() => _scope.Handle.SetNeighbourProxyDelay(AddressFamily.InterNetwork, 999_999, TimeSpan.Zero));

        Assert.Equal(Errno.ENOENT, error.Errno);
    }
}
