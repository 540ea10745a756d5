namespace RoutedNet.Datastore.Resources;

/// <summary>
/// networking.k8s.io/v1 NetworkPolicyPort: protocol (TCP when absent), a number or a named
/// container port (absent: every port), and endPort for a range starting at a numeric port.
/// </summary>
public sealed record KubernetesPort
{
    public string? Protocol { get; init; }

    public IntOrString? Port { get; init; }

    public int? EndPort { get; init; }
}
