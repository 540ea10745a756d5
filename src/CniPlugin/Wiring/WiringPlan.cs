using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>What one attachment needs: its veth names, the pod's netns, MTU and addresses.</summary>
internal sealed record WiringPlan(string HostVeth, string PodInterface, string Netns, int? Mtu, IReadOnlyList<IpCidr> Addresses)
    : VethPlan(HostVeth, PodInterface, Netns, Mtu)
{
    public bool HasIPv4 => Addresses.Any(a => !a.IsIPv6);

    public bool HasIPv6 => Addresses.Any(a => a.IsIPv6);
}
