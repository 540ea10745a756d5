namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// RoutedNet's Node on the core Node: these annotations (docs/DESIGN.md, Contracts), written by
/// merge patch on nodes/status. The core Node itself belongs to the kubelet: RoutedNet never creates
/// or deletes it, and a Node "exists" for RoutedNet while <see cref="Uid"/> is set.
/// </summary>
public static class NodeAnnotations
{
    /// <summary>The RoutedNet Node's own uid (a Node deleted and made again gets a new one; the core Node keeps its own).</summary>
    public const string Uid = "routednet.io/uid";

    /// <summary>When the RoutedNet Node was created (RFC 3339).</summary>
    public const string CreationTimestamp = "routednet.io/creation-timestamp";

    /// <summary>spec.addresses, comma-separated ADDRESS/PREFIX.</summary>
    public const string Addresses = "routednet.io/addresses";

    /// <summary>spec.asNumber, decimal; absent means the cluster's AS.</summary>
    public const string AsNumber = "routednet.io/as-number";

    /// <summary>spec.routeReflectorClusterID, a dotted quad; absent when the node is no route reflector.</summary>
    public const string RouteReflectorClusterId = "routednet.io/rr-cluster-id";

    /// <summary>spec.drain as JSON ({"since","gracefulShutdownSeconds"}); absent while the node is in service.</summary>
    public const string Drain = "routednet.io/drain";

    /// <summary>Comma-separated keys of the core Node's labels that RoutedNet set (removed again with the Node).</summary>
    public const string Labels = "routednet.io/labels";

    /// <summary>The RoutedNet Node's own metadata.annotations, as a JSON object.</summary>
    public const string Annotations = "routednet.io/annotations";

    /// <summary>Every key RoutedNet keeps while its Node exists.</summary>
    public static readonly IReadOnlyList<string> Fields = [Uid, CreationTimestamp, Addresses, AsNumber, RouteReflectorClusterId, Drain, Labels, Annotations];
}
