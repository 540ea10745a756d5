using RoutedNet.Netlink;
using static RoutedNet.Integration.Netlink.NetlinkScope;

namespace RoutedNet.Integration.Netlink;

public sealed class NeighbourTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    private NetlinkHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void AddNeighbour_Permanent_ListedAndShown()
    {
        var link = _scope.UpVeth();

        Handle.AddNeighbour(new Neighbour { LinkIndex = link.Index, Ip = Addr("10.0.0.9"), LinkAddress = Mac("02:00:00:00:00:09") });

        Assert.Contains("10.0.0.9 lladdr 02:00:00:00:00:09 PERMANENT", _scope.Ip("neigh", "show", "dev", "rnt0"), StringComparison.Ordinal);
        var listed = Assert.Single(Handle.ListNeighbours(new NeighbourFilter { LinkIndex = link.Index }), n => n.Ip.Equals(Addr("10.0.0.9")));
        Assert.Equal(NeighbourState.Permanent, listed.State);
        Assert.Equal(Mac("02:00:00:00:00:09"), listed.LinkAddress);
    }

    [Fact]
    public void AddNeighbour_Proxy_OnlyInProxyListing()
    {
        var link = _scope.UpVeth();

        Handle.AddNeighbour(new Neighbour { LinkIndex = link.Index, Ip = Addr("fd00::9"), Flags = NeighbourFlags.Proxy });

        Assert.Contains("fd00::9 dev rnt0 proxy", _scope.Ip("-6", "neigh", "show", "proxy"), StringComparison.Ordinal);
        var proxy = Assert.Single(Handle.ListNeighbours(new NeighbourFilter { Proxy = true }));
        Assert.True(proxy.IsProxy);
        Assert.DoesNotContain(Handle.ListNeighbours(), n => n.Ip.Equals(Addr("fd00::9")));
    }

    [Fact]
    public void ReplaceThenDeleteNeighbour_ChangesThenRemoves()
    {
        var link = _scope.UpVeth();
        var neighbour = new Neighbour { LinkIndex = link.Index, Ip = Addr("10.0.0.9"), LinkAddress = Mac("02:00:00:00:00:09") };
        Handle.AddNeighbour(neighbour);

        Handle.ReplaceNeighbour(neighbour with { LinkAddress = Mac("02:00:00:00:00:0a") });
        Assert.Contains("lladdr 02:00:00:00:00:0a", _scope.Ip("neigh", "show", "10.0.0.9", "dev", "rnt0"), StringComparison.Ordinal);
        Handle.DeleteNeighbour(neighbour);

        Assert.DoesNotContain(Handle.ListNeighbours(new NeighbourFilter { LinkIndex = link.Index }), n => n.Ip.Equals(Addr("10.0.0.9")) && n.State == NeighbourState.Permanent);
    }

    [Fact]
    public void AddNeighbour_Twice_ThrowsEexist()
    {
        var link = _scope.UpVeth();
        var neighbour = new Neighbour { LinkIndex = link.Index, Ip = Addr("10.0.0.9"), LinkAddress = Mac("02:00:00:00:00:09") };
        Handle.AddNeighbour(neighbour);

        var error = Assert.Throws<NetlinkException>(() => Handle.AddNeighbour(neighbour));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev rnt0", error.Operation);
    }
}
