namespace RoutedNet.Datastore.Resources;

public sealed record NodeSpec
{
    /// <summary>The node's addresses with prefix length, e.g. <c>172.18.0.2/24</c>; the first of each family is its BGP address.</summary>
    public IReadOnlyList<string> Addresses { get; init => field = value ?? []; } = [];

    /// <summary>The node's AS; null means the cluster's (BGPConfiguration).</summary>
    public uint? AsNumber { get; init; }

    /// <summary>Set when the node is a route reflector (RFC 4456 CLUSTER_ID, dotted quad).</summary>
    public string? RouteReflectorClusterID { get; init; }

    /// <summary>Set while the node is drained (`routednetctl node drain`); null in service.</summary>
    public NodeDrain? Drain { get; init; }
}
