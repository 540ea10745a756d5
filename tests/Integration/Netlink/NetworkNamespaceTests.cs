using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Netlink;

public sealed class NetworkNamespaceTests
{
    [Fact]
    public void Run_TargetNamespace_WorkSeesTargetAndCallerStaysHome()
    {
        using var ns = NetNs.Create();
        var before = NetworkNamespace.CurrentThreadInode();

        var inside = NetworkNamespace.Run(ns.Path, NetworkNamespace.CurrentThreadInode);

        Assert.Equal(NetworkNamespace.InodeOf(ns.Path), inside);
        Assert.NotEqual(before, inside);
        Assert.Equal(before, NetworkNamespace.CurrentThreadInode());
    }

    [Fact]
    public void Run_WorkThrows_ExceptionReachesCallerAndCallerNamespaceUnchanged()
    {
        using var ns = NetNs.Create();
        var before = NetworkNamespace.CurrentThreadInode();
        var threadBefore = Environment.CurrentManagedThreadId;

        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkNamespace.Run(ns.Path, () => throw new InvalidOperationException("boom inside")));

        Assert.Equal("boom inside", error.Message);
        Assert.Equal(threadBefore, Environment.CurrentManagedThreadId);
        Assert.Equal(before, NetworkNamespace.CurrentThreadInode());
    }

    [Fact]
    public void Run_KernelErrorInside_CallerNamespaceUnchanged()
    {
        using var ns = NetNs.Create();
        var before = NetworkNamespace.CurrentThreadInode();

        var error = Assert.Throws<NetlinkException>(() => NetworkNamespace.Run(ns.Path, () =>
        {
            using var handle = NetlinkHandle.Open();
            handle.DeleteLink(4242);
        }));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal(before, NetworkNamespace.CurrentThreadInode());
    }

    [Fact]
    public async Task Run_ProcPidPath_EntersThatProcessNamespace()
    {
        using var ns = NetNs.Create();
        using var sleeper = Daemon.Start("sleep", ["600"], ns);
        var path = $"/proc/{sleeper.Pid}/ns/net";
        await Eventually.Until(() => NetworkNamespace.InodeOf(path) == NetworkNamespace.InodeOf(ns.Path), "sleep to enter the namespace");

        var inside = NetworkNamespace.Run(path, NetworkNamespace.CurrentThreadInode);

        Assert.Equal(NetworkNamespace.InodeOf(ns.Path), inside);
    }

    [Fact]
    public void Run_MissingNamespace_ThrowsEnoentNamingThePath()
    {
        var error = Assert.Throws<NetlinkException>(() => NetworkNamespace.Run("/run/netns/rnt-does-not-exist", () => 1));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("/run/netns/rnt-does-not-exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenNamespace_HandleUsedFromCallerThread_SeesOnlyThatNamespace()
    {
        using var ns = NetNs.Create();
        ns.Check("ip", "link", "add", "rntx0", "type", "veth", "peer", "name", "rntx1");

        using var handle = NetlinkHandle.OpenNamespace(ns.Path);
        var names = handle.ListLinks().Select(l => l.Name).Order().ToArray();

        Assert.Equal(["lo", "rntx0", "rntx1"], names);
    }
}
