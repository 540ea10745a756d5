namespace RoutedNet.Felix.Datastore;

/// <summary>A local pod's host-side veth and the families it carries (which sysctl trees apply).</summary>
public readonly record struct HostVeth(bool IPv4, bool IPv6);
