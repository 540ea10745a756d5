using RoutedNet.Tests.TestKit;
using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Integration.Cni;

/// <summary>Two pods on one node reach each other and the node over the routed path (proxy ARP, /32 routes).</summary>
public sealed class CniConnectivityTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    private static bool Ping(CniPod from, string to) =>
        from.Netns.Exec("ping", "-c", "1", "-W", "1", to).Succeeded;

    [Fact]
    public async Task TwoPods_OneNode_PingEachOtherAndTheNode()
    {
        Tools.Require("/usr/bin/ping", "iputils-ping");
        var a = _node.NewPod();
        var b = _node.NewPod();
        var config = _node.Config();
        var ipA = Bare((await _node.Run("ADD", a, config)).EnsureSuccess().Addresses[0]);
        var ipB = Bare((await _node.Run("ADD", b, config)).EnsureSuccess().Addresses[0]);

        // Polled: eth0 may show NO-CARRIER for up to ~1 s after its peer moved namespaces.
        await Eventually.Until(() => Ping(a, ipB), $"{ipA} to reach {ipB}", TimeSpan.FromSeconds(10));
        await Eventually.Until(() => Ping(b, ipA), $"{ipB} to reach {ipA}", TimeSpan.FromSeconds(10));
        await Eventually.Until(() => Ping(a, NodeAddress), $"{ipA} to reach the node", TimeSpan.FromSeconds(10));

        // The pod resolved its gateway by proxy ARP from the host veth's fixed MAC.
        Assert.Contains("169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee", a.Ip("neigh", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoPods_DualStack_PingEachOtherOverIPv6()
    {
        Tools.Require("/usr/bin/ping", "iputils-ping");
        var a = _node.NewPod();
        var b = _node.NewPod();
        var config = _node.Config(dualStack: true);
        var addA = (await _node.Run("ADD", a, config)).EnsureSuccess();
        var addB = (await _node.Run("ADD", b, config)).EnsureSuccess();
        var v6A = Bare(addA.Addresses.Single(x => x.Contains(':', StringComparison.Ordinal)));
        var v6B = Bare(addB.Addresses.Single(x => x.Contains(':', StringComparison.Ordinal)));
        _node.Netns.Check("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding");

        // Polled: the host veth's link-local gateway finishes DAD about a second after it comes up.
        await Eventually.Until(() => Ping(a, v6B), $"{v6A} to reach {v6B}", TimeSpan.FromSeconds(15));
        await Eventually.Until(() => Ping(b, v6A), $"{v6B} to reach {v6A}", TimeSpan.FromSeconds(15));
    }
}
