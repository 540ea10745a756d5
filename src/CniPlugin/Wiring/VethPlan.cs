namespace RoutedNet.CniPlugin.Wiring;

/// <summary>The veth of one attachment: host end name, pod end name, the pod's netns and the MTU (null: the kernel's).</summary>
internal record VethPlan(string HostVeth, string PodInterface, string Netns, int? Mtu);
