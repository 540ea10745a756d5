using System.Net.Sockets;
using RoutedNet.Netlink;
using static RoutedNet.Integration.Netlink.NetlinkScope;

namespace RoutedNet.Integration.Netlink;

public sealed class AddressTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    private NetlinkHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void AddAddress_IPv4HostAddress_KernelShowsIt()
    {
        var link = _scope.UpVeth();

        Handle.AddAddress(new Address { LinkIndex = link.Index, Ip = Addr("10.244.1.5"), PrefixLength = 32 });

        Assert.Contains("inet 10.244.1.5/32", _scope.Ip("-o", "-4", "addr", "show", "dev", "rnt0"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddAddress_IPv6NoDad_NeverTentative()
    {
        var link = _scope.UpVeth();

        Handle.AddAddress(new Address { LinkIndex = link.Index, Ip = Addr("fd00:10:244::5"), PrefixLength = 128, Flags = AddressFlags.NoDad });

        var shown = _scope.Ip("-o", "-6", "addr", "show", "dev", "rnt0", "to", "fd00:10:244::5/128");
        Assert.Contains("inet6 fd00:10:244::5/128", shown, StringComparison.Ordinal);
        Assert.Contains("nodad", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", shown, StringComparison.Ordinal);
        var listed = Assert.Single(Handle.ListAddresses(new AddressFilter { LinkIndex = link.Index, Family = AddressFamily.InterNetworkV6 }), a => a.Ip.Equals(Addr("fd00:10:244::5")));
        Assert.True((listed.Flags & AddressFlags.NoDad) != 0);
        Assert.Equal(128, listed.PrefixLength);
    }

    [Fact]
    public void AddAddress_Twice_ThrowsEexistWithOperation()
    {
        var link = _scope.UpVeth();
        var address = new Address { LinkIndex = link.Index, Ip = Addr("10.0.0.1"), PrefixLength = 24 };
        Handle.AddAddress(address);

        var error = Assert.Throws<NetlinkException>(() => Handle.AddAddress(address));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("address add 10.0.0.1/24 dev rnt0", error.Operation);
    }

    [Fact]
    public void AddAddress_UnknownLink_ThrowsEnodev()
    {
        var error = Assert.Throws<NetlinkException>(() => Handle.AddAddress(new Address { LinkIndex = 4242, Ip = Addr("10.0.0.1"), PrefixLength = 24 }));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal("address add 10.0.0.1/24 dev index 4242", error.Operation);
    }

    [Fact]
    public void DeleteAddress_Present_GoneFromKernel()
    {
        var link = _scope.UpVeth();
        var address = new Address { LinkIndex = link.Index, Ip = Addr("10.0.0.1"), PrefixLength = 24 };
        Handle.AddAddress(address);

        Handle.DeleteAddress(address);

        Assert.DoesNotContain("10.0.0.1", _scope.Ip("-o", "addr", "show", "dev", "rnt0"), StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteAddress_Absent_ThrowsEaddrnotavail()
    {
        var link = _scope.UpVeth();

        var error = Assert.Throws<NetlinkException>(() => Handle.DeleteAddress(new Address { LinkIndex = link.Index, Ip = Addr("10.9.9.9"), PrefixLength = 32 }));

        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
    }

    [Fact]
    public void ListAddresses_FilterByLinkAndFamily_OnlyMatching()
    {
        var first = _scope.UpVeth("rnt0", "rnt0p");
        var second = _scope.UpVeth("rnt1", "rnt1p");
        Handle.AddAddress(new Address { LinkIndex = first.Index, Ip = Addr("10.0.0.1"), PrefixLength = 24 });
        Handle.AddAddress(new Address { LinkIndex = first.Index, Ip = Addr("fd00::1"), PrefixLength = 64, Flags = AddressFlags.NoDad });
        Handle.AddAddress(new Address { LinkIndex = second.Index, Ip = Addr("10.0.1.1"), PrefixLength = 24 });

        var v4OnFirst = Handle.ListAddresses(new AddressFilter { LinkIndex = first.Index, Family = AddressFamily.InterNetwork });
        var all = Handle.ListAddresses();

        Assert.Equal([Addr("10.0.0.1")], v4OnFirst.Select(a => a.Ip));
        Assert.Contains(all, a => a.Ip.Equals(Addr("10.0.1.1")) && a.LinkIndex == second.Index);
        Assert.Contains(all, a => a.Ip.Equals(Addr("fd00::1")) && a.LinkIndex == first.Index);
        Assert.Contains(all, a => a.Ip.Equals(Addr("127.0.0.1")) && a.Scope == RouteScope.Host);
    }
}
