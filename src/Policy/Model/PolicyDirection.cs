namespace RoutedNet.Policy;

/// <summary>Egress is judged at the source endpoint, ingress at the destination endpoint.</summary>
public enum PolicyDirection
{
    Ingress,
    Egress,
}
