namespace RoutedNet.Datastore.Resources;

/// <summary>discovery.k8s.io/v1 EndpointConditions.</summary>
public sealed record EndpointConditions
{
    public bool? Ready { get; init; }

    public bool? Serving { get; init; }

    public bool? Terminating { get; init; }
}
