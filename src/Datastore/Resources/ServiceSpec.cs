using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>The part of Kubernetes' ServiceSpec that decides what is announced; field names as there.</summary>
public sealed record ServiceSpec
{
    public const string TypeClusterIP = "ClusterIP";
    public const string TypeNodePort = "NodePort";
    public const string TypeLoadBalancer = "LoadBalancer";
    public const string TypeExternalName = "ExternalName";

    public const string PolicyCluster = "Cluster";
    public const string PolicyLocal = "Local";

    /// <summary>Kubernetes' marker for a headless Service: no cluster IP, nothing to announce.</summary>
    public const string ClusterIPNone = "None";

    /// <summary>ClusterIP (null), NodePort, LoadBalancer or ExternalName.</summary>
    public string? Type { get; init; }

    /// <summary>The primary cluster IP (Kubernetes keeps it equal to <see cref="ClusterIPs"/>[0]).</summary>
    public string? ClusterIP { get; init; }

    /// <summary>Every cluster IP, one per family (dual stack).</summary>
    public IReadOnlyList<string>? ClusterIPs { get; init; }

    public IReadOnlyList<string>? ExternalIPs { get; init; }

    /// <summary>Cluster (null) or Local: Local is announced as a /32 only by nodes with a ready endpoint.</summary>
    public string? ExternalTrafficPolicy { get; init; }

    /// <summary>
    /// The rest of Kubernetes' ServiceSpec (<see cref="KubernetesFields"/>: ports, selector, …), which
    /// RoutedNet does not read but keeps as written: a kubectl user's Service applies as it is, and
    /// on the kubernetes datastore reaches the API server whole. Any other field is still refused.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Kubernetes { get; set; }

    /// <summary>Kubernetes' ServiceSpec fields (core/v1) that <see cref="Kubernetes"/> keeps.</summary>
    public static IReadOnlySet<string> KubernetesFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ports", "selector", "sessionAffinity", "sessionAffinityConfig", "loadBalancerIP", "loadBalancerSourceRanges",
        "loadBalancerClass", "externalName", "healthCheckNodePort", "publishNotReadyAddresses", "ipFamilies",
        "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "internalTrafficPolicy", "trafficDistribution",
    };

    /// <summary>By value, <see cref="Kubernetes"/> included: the agent compares what it reads again with what it had.</summary>
    public bool Equals(ServiceSpec? other) =>
        other is not null
        && Type == other.Type
        && ClusterIP == other.ClusterIP
        && ExternalTrafficPolicy == other.ExternalTrafficPolicy
        && (ClusterIPs ?? []).SequenceEqual(other.ClusterIPs ?? [])
        && (ExternalIPs ?? []).SequenceEqual(other.ExternalIPs ?? [])
        && SameFields(Kubernetes, other.Kubernetes);

    private static bool SameFields(Dictionary<string, JsonElement>? a, Dictionary<string, JsonElement>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a ?? []).All(f => b!.TryGetValue(f.Key, out var other) && JsonElement.DeepEquals(f.Value, other));

    public override int GetHashCode() => HashCode.Combine(Type, ClusterIP, ExternalTrafficPolicy, ClusterIPs?.Count, ExternalIPs?.Count);

    /// <summary>The cluster IPs, from <see cref="ClusterIPs"/> or else <see cref="ClusterIP"/>; none for a headless Service.</summary>
    public IEnumerable<string> AllClusterIPs() =>
        (ClusterIPs is { Count: > 0 } ips ? ips : ClusterIP is { } one ? [one] : [])
            .Where(ip => ip is not (ClusterIPNone or ""));
}
