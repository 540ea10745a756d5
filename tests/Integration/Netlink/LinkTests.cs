using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;
using static RoutedNet.Integration.Netlink.NetlinkScope;

namespace RoutedNet.Integration.Netlink;

public sealed class LinkTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    private NetlinkHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void AddVeth_PeerNamespacePath_PeerIsBornInTheOtherNamespace()
    {
        var host = Handle.AddVeth(new VethPair
        {
            Name = "rn0123abcd",
            PeerName = "eth0",
            PeerNamespacePath = _scope.Pod.Path,
            Mtu = 1450,
            Address = Mac("ee:ee:ee:ee:ee:ee"),
            PeerAddress = Mac("02:00:00:00:00:05"),
        });

        Assert.Equal("rn0123abcd", host.Name);
        Assert.Equal("veth", host.Kind);
        Assert.Equal(1450, host.Mtu);
        Assert.Equal(Mac("ee:ee:ee:ee:ee:ee"), host.Address);
        Assert.NotNull(host.PeerNamespaceId);
        Assert.Null(Handle.FindLink("eth0"));
        var pod = _scope.PodIp("-o", "link", "show", "eth0");
        Assert.Contains("mtu 1450", pod, StringComparison.Ordinal);
        Assert.Contains("link/ether 02:00:00:00:00:05", pod, StringComparison.Ordinal);
    }

    [Fact]
    public void SetLinkDownInGroup_ThenDeleteLinkGroup_DeletesExactlyThatGroupsLinksAndTheirPeers()
    {
        var a = _scope.UpVeth("rnt0", "rnt0p");
        var b = Handle.AddVeth(new VethPair { Name = "rnt1", PeerName = "eth0", PeerNamespacePath = _scope.Pod.Path });
        var other = _scope.UpVeth("rnt2", "rnt2p");

        Handle.SetLinkDownInGroup(a.Index, 29294);
        Handle.SetLinkDownInGroup(b.Index, 29294);

        Assert.Equal((29294u, false), (Handle.GetLink("rnt0").Group, Handle.GetLink("rnt0").IsUp));
        Assert.Equal(0u, Handle.GetLink("rnt2").Group);
        Handle.DeleteLinkGroup(29294);
        Assert.Null(Handle.FindLink("rnt0"));
        Assert.Null(Handle.FindLink("rnt0p"));
        Assert.Null(Handle.FindLink("rnt1"));
        Assert.DoesNotContain("eth0", _scope.PodIp("-o", "link", "show"), StringComparison.Ordinal);
        Assert.Equal(other.Index, Handle.GetLink("rnt2").Index);
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => Handle.DeleteLinkGroup(29294)).Errno);
    }

    [Fact]
    public void AddVeth_NameTaken_ThrowsEexistWithOperation()
    {
        _scope.UpVeth("rnt0", "rnt0p");

        var error = Assert.Throws<NetlinkException>(() => Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt9p" }));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.StartsWith("link add veth rnt0 peer rnt9p: EEXIST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVeth_PeerNameTakenInPodNamespace_ThrowsEexist()
    {
        _scope.Pod.Check("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "other");

        var error = Assert.Throws<NetlinkException>(() =>
            Handle.AddVeth(new VethPair { Name = "rnt1", PeerName = "eth0", PeerNamespacePath = _scope.Pod.Path }));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Null(Handle.FindLink("rnt1"));
    }

    [Fact]
    public void AddVeth_NameTooLong_ThrowsBeforeSending()
    {
        Assert.Throws<ArgumentException>(() => Handle.AddVeth(new VethPair { Name = "a-name-of-16-byt", PeerName = "p" }));
    }

    [Fact]
    public void SetLinkUpDown_Veth_FlagsFollow()
    {
        var link = Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt0p" });
        Assert.False(link.IsUp);

        Handle.SetLinkUp(link.Index);
        Assert.True(Handle.GetLink(link.Index).IsUp);
        Assert.Contains("BROADCAST,MULTICAST,UP", _scope.Ip("-o", "link", "show", "rnt0"), StringComparison.Ordinal);

        Handle.SetLinkDown(link.Index);
        Assert.False(Handle.GetLink("rnt0").IsUp);
    }

    [Fact]
    public void SetLinkNameAddressMtu_DownLink_KernelHoldsNewValues()
    {
        var link = Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt0p" });

        Handle.SetLinkName(link.Index, "rnt-renamed");
        Handle.SetLinkAddress(link.Index, Mac("ee:ee:ee:ee:ee:ee"));
        Handle.SetLinkMtu(link.Index, 1400);

        var shown = _scope.Ip("-o", "link", "show", "rnt-renamed");
        Assert.Contains("mtu 1400", shown, StringComparison.Ordinal);
        Assert.Contains("link/ether ee:ee:ee:ee:ee:ee", shown, StringComparison.Ordinal);
        var again = Handle.GetLink("rnt-renamed");
        Assert.Equal(link.Index, again.Index);
        Assert.Equal(1400, again.Mtu);
    }

    [Fact]
    public void SetLinkName_NameTaken_ThrowsEexistNamingTheLink()
    {
        var link = _scope.UpVeth();

        var error = Assert.Throws<NetlinkException>(() => Handle.SetLinkName(link.Index, "rnt0p"));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("link set dev rnt0 name rnt0p", error.Operation);
    }

    [Fact]
    public void MoveLink_ToPodNamespace_LinkLeavesAndAppearsThere()
    {
        var link = Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt0p" });

        Handle.MoveLink(Handle.GetLink("rnt0p").Index, _scope.Pod.Path);

        Assert.Null(Handle.FindLink("rnt0p"));
        Assert.Contains("rnt0p", _scope.PodIp("-o", "link", "show", "rnt0p"), StringComparison.Ordinal);
        Assert.NotNull(Handle.GetLink(link.Index).PeerNamespaceId);
    }

    [Fact]
    public void DeleteLink_VethEnd_BothEndsGone()
    {
        var link = Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "eth0", PeerNamespacePath = _scope.Pod.Path });

        Handle.DeleteLink(link.Index);

        Assert.Null(Handle.FindLink("rnt0"));
        Assert.DoesNotContain("eth0", _scope.PodIp("-o", "link", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteLink_UnknownIndex_ThrowsEnodev()
    {
        var error = Assert.Throws<NetlinkException>(() => Handle.DeleteLink(4242));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.StartsWith("link del dev index 4242: ENODEV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetLink_UnknownName_ThrowsEnodevAndFindLinkReturnsNull()
    {
        var error = Assert.Throws<NetlinkException>(() => Handle.GetLink("rnt-missing"));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Null(Handle.FindLink("rnt-missing"));
    }

    [Fact]
    public void ListLinks_VethPair_BothEndsPointAtEachOther()
    {
        Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt0p" });

        var links = Handle.ListLinks().ToDictionary(l => l.Name);

        Assert.Equal(["lo", "rnt0", "rnt0p"], links.Keys.Order());
        Assert.Equal(links["rnt0p"].Index, links["rnt0"].ParentIndex);
        Assert.Equal(links["rnt0"].Index, links["rnt0p"].ParentIndex);
        Assert.True((links["lo"].Flags & LinkFlags.Loopback) != 0);
    }

    [Fact]
    public void ListLinks_ByKindAndMaster_OnlyThoseLinks()
    {
        Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "rnt0p" });
        Handle.AddVeth(new VethPair { Name = "rnt1", PeerName = "rnt1p" });
        _scope.Ip("link", "add", "rntbr", "type", "bridge");
        _scope.Ip("link", "set", "rnt1", "master", "rntbr");
        var bridge = Handle.GetLink("rntbr");

        var veths = Handle.ListLinks(new LinkFilter { Kind = "veth" });
        var ports = Handle.ListLinks(new LinkFilter { MasterIndex = bridge.Index });
        var bridges = Handle.ListLinks(new LinkFilter { Kind = "bridge" });
        var vethPorts = Handle.ListLinks(new LinkFilter { Kind = "veth", MasterIndex = bridge.Index });

        Assert.Equal(["rnt0", "rnt0p", "rnt1", "rnt1p"], veths.Select(l => l.Name).Order());
        Assert.Equal(["rnt1"], ports.Select(l => l.Name));
        Assert.Equal(["rntbr"], bridges.Select(l => l.Name));
        Assert.Equal(["rnt1"], vethPorts.Select(l => l.Name));
    }

    [Fact]
    public void SetLinkUp_UnknownIndex_ThrowsEnodevNamingTheIndex()
    {
        var error = Assert.Throws<NetlinkException>(() => Handle.SetLinkUp(4242));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal("link set dev index 4242 up", error.Operation);
    }

    [Fact]
    public async Task OpenNamespace_ProcPidPath_WorksInThatProcessNamespace()
    {
        using var sleeper = Daemon.Start("sleep", ["600"], _scope.Pod);
        var path = $"/proc/{sleeper.Pid}/ns/net";
        await Eventually.Until(() => NetworkNamespace.InodeOf(path) == NetworkNamespace.InodeOf(_scope.Pod.Path), "sleep to enter the namespace");

        using var pod = NetlinkHandle.OpenNamespace(path);
        var veth = Handle.AddVeth(new VethPair { Name = "rnt0", PeerName = "eth0", PeerNamespacePath = path });

        Assert.Equal(veth.ParentIndex, pod.GetLink("eth0").Index);
    }
}
