using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// The Kubernetes node a runtime runs on, as a namespace of the test's own: the runtime runs inside
/// it (so host veths, pod routes and sysctls land here, not on the machine), and it has an uplink
/// veth to a sink namespace with the default route through it. That route matters: proxy ARP only
/// answers the pod's ARP for 169.254.1.1 when the node has a route covering it (this kernel has no
/// dummy module, hence a veth).
/// </summary>
public sealed class CniNode : IDisposable
{
    /// <summary>The node's own address on the uplink: pods ping it to prove the routed path.</summary>
    public const string UplinkAddress = "10.211.255.1";

    private const string Uplink = "uplink0";

    private readonly NetNs _sink;

    public NetNs Netns { get; }

    private CniNode(NetNs netns, NetNs sink)
    {
        Netns = netns;
        _sink = sink;
    }

    public static CniNode Create()
    {
        var netns = NetNs.Create();
        NetNs? sink = null;
        try
        {
            sink = NetNs.Create();
            netns.Link(Uplink, sink, "sink0", $"{UplinkAddress}/30", "10.211.255.2/30");
            netns.Check("ip", "route", "add", "default", "via", "10.211.255.2", "dev", Uplink);
            return new CniNode(netns, sink);
        }
        catch
        {
            sink?.Dispose();
            netns.Dispose();
            throw;
        }
    }

    /// <summary>argv that runs <paramref name="file"/> in the node's network namespace only (mounts stay shared, so the runtime's netns bind mounts are visible to the test).</summary>
    public IEnumerable<string> EnterArgs(string file) => [$"--net={Netns.Path}", file];

    /// <summary>The node's route to exactly <paramref name="podIp"/>/32 (`ip route show exact`), empty when none.</summary>
    public string RouteTo(string podIp) => Netns.Check("ip", "-4", "route", "show", "exact", $"{podIp}/32").Stdout.Trim();

    /// <summary>The interface the node routes <paramref name="podIp"/>/32 through, or null.</summary>
    public string? RouteDeviceFor(string podIp)
    {
        var words = RouteTo(podIp).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dev = Array.IndexOf(words, "dev");
        return dev >= 0 && dev + 1 < words.Length ? words[dev + 1] : null;
    }

    public bool HasLink(string name) => Netns.Exec("ip", "link", "show", "dev", name).Succeeded;

    public string Routes() => Netns.Check("ip", "-4", "route", "show").Stdout;

    public void Dispose()
    {
        _sink.Dispose();
        Netns.Dispose();
    }
}
