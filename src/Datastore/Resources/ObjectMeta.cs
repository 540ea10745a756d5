namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Kubernetes-style object metadata. <see cref="ResourceVersion"/> is opaque to callers: the store
/// sets it on every read and write, and Update/Delete compare it (CAS). sqlite and etcd use their
/// global revision number; a Kubernetes CRD backend uses the API server's resourceVersion.
/// </summary>
public sealed record ObjectMeta
{
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>
    /// The namespace of a namespaced kind (NetworkPolicy, KubernetesNetworkPolicy); null for the
    /// cluster-scoped ones. The store keys a namespaced object as "NAMESPACE/NAME" (DESIGN.md Contracts).
    /// </summary>
    public string? Namespace { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary>Set by the store on create; kept across updates.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>Set by the store on create; a re-created object of the same name gets a new one.</summary>
    public string? Uid { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
