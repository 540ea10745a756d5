namespace RoutedNet.Netlink;

/// <summary>Link groups (IFLA_GROUP, `ip link set dev IF group N`) with a meaning of ours, as <see cref="RouteProtocol.RoutedNet"/> is for routes.</summary>
public static class LinkGroups
{
    /// <summary>
    /// Host veths of deleted pods, down and unrouted, waiting to be deleted (`ip link del group
    /// 29294` deletes them all in one kernel operation). A CNI DEL puts the pod's host veth here and
    /// the node agent deletes the group after answering; the agent's start deletes what a stop left.
    /// 29294 is "rn" in ASCII.
    /// </summary>
    public const uint DeletedPodVeths = 29294;
}
