using System.Net;
using System.Net.NetworkInformation;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// Two fresh namespaces for one test — "host" (where <see cref="Handle"/> works) and "pod" — both
/// deleted in Dispose, which also destroys every veth made in them. The machine's own namespace is
/// never touched. `ip` is used only to assert what the kernel holds.
/// </summary>
public sealed class NetlinkScope : IDisposable
{
    public NetlinkScope()
    {
        Tools.Require("/usr/sbin/ip", "iproute2");
        Host = NetNs.Create();
        Pod = NetNs.Create();
        Handle = NetlinkHandle.OpenNamespace(Host.Path);
    }

    public NetNs Host { get; }

    public NetNs Pod { get; }

    public NetlinkHandle Handle { get; }

    /// <summary>`ip -n HOST args` (or in the pod namespace), output on success.</summary>
    public string Ip(params string[] args) => Proc.Check("ip", ["-n", Host.Name, .. args]).Stdout;

    public string PodIp(params string[] args) => Proc.Check("ip", ["-n", Pod.Name, .. args]).Stdout;

    /// <summary>A veth inside the host namespace with both ends up; returns the first end.</summary>
    public Link UpVeth(string name = "rnt0", string peer = "rnt0p")
    {
        var link = Handle.AddVeth(new VethPair { Name = name, PeerName = peer });
        Handle.SetLinkUp(link.Index);
        Handle.SetLinkUp(Handle.GetLink(peer).Index);
        return Handle.GetLink(link.Index);
    }

    public static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);

    public static IPAddress Addr(string ip) => IPAddress.Parse(ip);

    public static PhysicalAddress Mac(string mac) => PhysicalAddress.Parse(mac.Replace(':', '-'));

    public void Dispose()
    {
        Handle.Dispose();
        Pod.Dispose();
        Host.Dispose();
    }
}
