namespace RoutedNet.Datastore.Resources;

/// <summary>One endpoint of an EndpointSlice (discovery.k8s.io/v1 names).</summary>
public sealed record ServiceEndpoint
{
    /// <summary>The pod's addresses (an EndpointSlice holds one family; here both may appear).</summary>
    public IReadOnlyList<string> Addresses { get; init => field = value ?? []; } = [];

    /// <summary>The node the endpoint runs on.</summary>
    public string? NodeName { get; init; }

    public EndpointConditions? Conditions { get; init; }

    /// <summary>
    /// Kubernetes: "ready" unset means unknown, which consumers treat as ready; a terminating
    /// endpoint is reported not ready, so it stops being announced before the pod is gone.
    /// </summary>
    public bool IsReady => Conditions?.Ready ?? true;
}
