using System.Net;
using RoutedNet.Netlink;
using static RoutedNet.Integration.Netlink.NetlinkScope;

namespace RoutedNet.Integration.Netlink;

public sealed class RouteBatchTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    private NetlinkHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Execute_ThousandReplacesThenDeletes_AllAppliedAndAcked()
    {
        var link = _scope.UpVeth();
        var routes = Enumerable.Range(0, 1000)
            .Select(i => new Route { Destination = new IPNetwork(new IPAddress([10, 244, (byte)(i / 250), (byte)(i % 250)]), 32), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet })
            .ToList();
        var install = new RouteBatch();
        routes.ForEach(r => install.Replace(r));

        var installed = Handle.Execute(install);

        Assert.True(installed.AllSucceeded);
        Assert.Equal(1000, installed.Count);
        Assert.Equal(1000, _scope.Ip("route", "show", "proto", "80").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1000, Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }).Count);

        var remove = new RouteBatch();
        routes.ForEach(r => remove.Delete(r));
        var removed = Handle.Execute(remove);

        Assert.True(removed.AllSucceeded);
        Assert.Empty(Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }));
    }

    [Fact]
    public void Execute_FailuresInSeveralDatagramsAndLast_ExactlyThoseReported()
    {
        // Three datagrams (1024 messages each); only failures and each datagram's last message are answered.
        var link = _scope.UpVeth();
        int[] failing = [5, 1023, 1500, 2099];
        var batch = new RouteBatch();
        for (var i = 0; i < 2100; i++)
        {
            var device = failing.Contains(i) ? 999_999 : link.Index;
            batch.Replace(new Route { Destination = new IPNetwork(new IPAddress([10, 245, (byte)(i / 250), (byte)(i % 250)]), 32), LinkIndex = device, Protocol = RouteProtocol.RoutedNet });
        }

        var result = Handle.Execute(batch);

        Assert.Equal(failing, result.Failures.Select(f => f.Index));
        Assert.All(result.Failures, f => Assert.Equal(Errno.ENODEV, f.Error.Errno));
        Assert.Equal(2100 - failing.Length, Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }).Count);
    }

    [Fact]
    public void Execute_SomeFail_OthersAppliedAndFailuresNamed()
    {
        var link = _scope.UpVeth("rn0123", "rn0123p");
        var existing = new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index };
        Handle.AddRoute(existing);
        var batch = new RouteBatch()
            .Add(new Route { Destination = Net("10.244.1.6/32"), LinkIndex = link.Index })
            .Add(existing)
            .Delete(new Route { Destination = Net("10.244.1.7/32"), LinkIndex = link.Index })
            .Add(new Route { Destination = Net("10.244.1.8/32"), LinkIndex = link.Index });

        var result = Handle.Execute(batch);

        Assert.False(result.AllSucceeded);
        Assert.Equal([Errno.None, Errno.EEXIST, Errno.ESRCH, Errno.None], Enumerable.Range(0, 4).Select(result.ErrnoAt));
        Assert.Equal([1, 2], result.Failures.Select(f => f.Index));
        Assert.StartsWith("route add 10.244.1.5/32 dev rn0123: EEXIST", result.Failures[0].Error.Message, StringComparison.Ordinal);
        Assert.StartsWith("route del 10.244.1.7/32 dev rn0123: ESRCH", result.Failures[1].Error.Message, StringComparison.Ordinal);
        var shown = _scope.Ip("route", "show");
        Assert.Contains("10.244.1.6 dev rn0123", shown, StringComparison.Ordinal);
        Assert.Contains("10.244.1.8 dev rn0123", shown, StringComparison.Ordinal);
        Assert.Throws<AggregateException>(result.ThrowIfAnyFailed);
    }

    [Fact]
    public void Execute_MixedFamiliesBlackholesAndGateways_AllInstalled()
    {
        var link = _scope.UpVeth();
        Handle.AddAddress(new Address { LinkIndex = link.Index, Ip = Addr("172.18.0.1"), PrefixLength = 24 });
        var batch = new RouteBatch()
            .Replace(new Route { Destination = Net("10.244.7.0/24"), Type = RouteType.Blackhole, Protocol = RouteProtocol.RoutedNet })
            .Replace(new Route { Destination = Net("10.244.8.0/24"), Gateway = Addr("172.18.0.3"), Protocol = RouteProtocol.RoutedNet })
            .Replace(new Route { Destination = Net("fd00:10:244:7::/64"), Type = RouteType.Blackhole, Protocol = RouteProtocol.RoutedNet });

        Handle.Execute(batch).ThrowIfAnyFailed();

        Assert.Equal(3, Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }).Count);
        var v6 = _scope.Ip("-6", "route", "show", "fd00:10:244:7::/64");
        Assert.StartsWith("blackhole fd00:10:244:7::/64", v6, StringComparison.Ordinal);
        Assert.Contains("proto 80", v6, StringComparison.Ordinal);
    }
}
