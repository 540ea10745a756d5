using System.Net;

namespace RoutedNet.Felix.Workloads;

/// <summary>
/// One attachment the CNI plugin made on this node, as its attachment record says: the host veth,
/// the network, the container and interface, and the pod's addresses (full-length prefixes).
/// </summary>
public sealed record LocalAttachment(string Network, string HostInterface, string ContainerId, string IfName, IReadOnlyList<IPNetwork> Addresses)
{
    /// <summary>
    /// The record says a datastore endpoint (WorkloadEndpoint) describes the attachment: policy
    /// leaves the pod closed until that endpoint is known rather than open meanwhile (the
    /// endpoint's arrival would then be a narrowing, with its conntrack walk, at every pod ADD).
    /// </summary>
    public bool AwaitsEndpoint { get; init; }

    /// <summary>The record's content as one string: two reads of an unchanged directory compare equal.</summary>
    public string Key => $"{Network}/{HostInterface}|{ContainerId}|{IfName}|{string.Join(',', Addresses)}|{AwaitsEndpoint}";
}
