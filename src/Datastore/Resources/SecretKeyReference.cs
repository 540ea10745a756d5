namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One key of a Kubernetes Secret in the node agent's own namespace (its pod's POD_NAMESPACE),
/// as a BGPPeer's <c>passwordSecretRef</c>: the agent reads the value through the API, so the
/// secret itself is never stored in a RoutedNet resource.
/// </summary>
public sealed record SecretKeyReference
{
    public string Name { get; init => field = value ?? ""; } = "";

    public string Key { get; init => field = value ?? ""; } = "";
}
