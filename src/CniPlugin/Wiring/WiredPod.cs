using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>The two ends ADD made.</summary>
internal sealed record WiredPod(Link HostVeth, Link PodInterface);
