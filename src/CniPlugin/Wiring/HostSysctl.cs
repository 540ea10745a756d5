using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>One per-interface sysctl the host veth must hold.</summary>
internal sealed record HostSysctl(SysctlTree Tree, string Key, string Value);
