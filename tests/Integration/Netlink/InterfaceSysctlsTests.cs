using RoutedNet.Netlink;

namespace RoutedNet.Integration.Netlink;

public sealed class InterfaceSysctlsTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Set_InNamespace_WritesThatNamespacesInterfaceOnly()
    {
        var veth = _scope.Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "eth0", PeerNamespacePath = _scope.Pod.Path });

        InterfaceSysctls.Set(SysctlTree.IPv4Conf, veth.Name, "proxy_arp", "1", _scope.Host.Path);
        InterfaceSysctls.Set(SysctlTree.IPv4Neigh, veth.Name, "proxy_delay", "0", _scope.Host.Path);
        InterfaceSysctls.Set(SysctlTree.IPv6Conf, "eth0", "accept_dad", "0", _scope.Pod.Path);

        Assert.Equal("1", _scope.Host.Check("cat", "/proc/sys/net/ipv4/conf/rnt0/proxy_arp").Stdout.Trim());
        Assert.Equal("0", _scope.Host.Check("cat", "/proc/sys/net/ipv4/neigh/rnt0/proxy_delay").Stdout.Trim());
        Assert.Equal("0", _scope.Pod.Check("cat", "/proc/sys/net/ipv6/conf/eth0/accept_dad").Stdout.Trim());
        Assert.Equal("1", InterfaceSysctls.Get(SysctlTree.IPv4Conf, "rnt0", "proxy_arp", _scope.Host.Path));
        Assert.Equal("0", InterfaceSysctls.Get(SysctlTree.IPv4Conf, "eth0", "proxy_arp", _scope.Pod.Path));
    }

    [Fact]
    public void SysctlDirectory_OpenedWithPodHandle_WritesThePodsInterfaceFromTheCallersThread()
    {
        // The pod end's name exists only in the pod: resolved in the caller's namespace, the write would fail with ENOENT.
        _scope.Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnsd9", PeerNamespacePath = _scope.Pod.Path });
        using var pod = NetlinkHandle.OpenNamespace(_scope.Pod.Path, SysctlTree.IPv6Conf, out var directory);
        using (directory)
        {
            directory.Set("rnsd9", "accept_dad", "0");
            directory.Set("rnsd9", "accept_ra", "0");
        }

        Assert.Equal("0", _scope.Pod.Check("cat", "/proc/sys/net/ipv6/conf/rnsd9/accept_dad").Stdout.Trim());
        Assert.Equal("0", _scope.Pod.Check("cat", "/proc/sys/net/ipv6/conf/rnsd9/accept_ra").Stdout.Trim());
        Assert.NotNull(pod.FindLink("rnsd9"));
        Assert.Throws<ObjectDisposedException>(() => directory.Set("rnsd9", "accept_dad", "0"));
    }

    [Fact]
    public void Set_InterfaceMissingInNamespace_ThrowsEnoent()
    {
        var error = Assert.Throws<NetlinkException>(() =>
            InterfaceSysctls.Set(SysctlTree.IPv4Conf, "rnt-missing", "proxy_arp", "1", _scope.Host.Path));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("/proc/sys/net/ipv4/conf/rnt-missing/proxy_arp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_TraversingName_RejectedBeforeTouchingFiles()
    {
        Assert.Throws<ArgumentException>(() => InterfaceSysctls.Set(SysctlTree.IPv4Conf, "..", "forwarding", "1", _scope.Host.Path));
        Assert.Throws<ArgumentException>(() => InterfaceSysctls.Set(SysctlTree.IPv4Conf, "all", "../../ip_forward", "1", _scope.Host.Path));
    }

    [Fact]
    public void Set_ValueKernelRefuses_ThrowsEinval()
    {
        var veth = _scope.UpVeth();

        var error = Assert.Throws<NetlinkException>(() => InterfaceSysctls.Set(SysctlTree.IPv4Conf, veth.Name, "proxy_arp", "not-a-number", _scope.Host.Path));

        Assert.Equal(Errno.EINVAL, error.Errno);
    }
}
