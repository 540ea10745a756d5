using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// The kinds stored as cluster-scoped custom resources in routednet.io/v1 (charts/routednet/crds/),
/// which the uninstall job deletes; the policy CRDs (<see cref="Policies"/>) and the Kubernetes
/// kinds RoutedNet also reads (<see cref="NativeKinds"/>) are the users'.
/// </summary>
public static class CrdKinds
{
    public static readonly IReadOnlyDictionary<string, KubeResource> ByKind = new Dictionary<string, KubeResource>(StringComparer.Ordinal)
    {
        [IPPool.KindName] = Crd("ippools", IPPool.KindName),
        [IPAMConfig.KindName] = Crd("ipamconfigs", IPAMConfig.KindName),
        [BGPConfiguration.KindName] = Crd("bgpconfigurations", BGPConfiguration.KindName),
        [BGPPeer.KindName] = Crd("bgppeers", BGPPeer.KindName),
        [BGPFilter.KindName] = Crd("bgpfilters", BGPFilter.KindName),
        [IPAMBlock.KindName] = Crd("ipamblocks", IPAMBlock.KindName),
        [BlockAffinity.KindName] = Crd("blockaffinities", BlockAffinity.KindName),
        [IPAMHandle.KindName] = Crd("ipamhandles", IPAMHandle.KindName),
    };

    /// <summary>
    /// The policy kinds' custom resources (NetworkPolicy namespaced). Operators' own objects, which
    /// the uninstall job leaves alone (helm keeps the CRDs, and with them the policies) — unlike the
    /// state in <see cref="ByKind"/> that RoutedNet itself writes or configures IPAM and BGP with.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, KubeResource> Policies = new Dictionary<string, KubeResource>(StringComparer.Ordinal)
    {
        [NetworkPolicy.KindName] = Crd("networkpolicies", NetworkPolicy.KindName),
        [GlobalNetworkPolicy.KindName] = Crd("globalnetworkpolicies", GlobalNetworkPolicy.KindName),
    };

    /// <summary>Kinds the API server has natively, stored there in their own shape (never touched by uninstall).</summary>
    public static readonly IReadOnlyDictionary<string, KubeResource> NativeKinds = new Dictionary<string, KubeResource>(StringComparer.Ordinal)
    {
        [KubernetesNetworkPolicy.KindName] = new("networking.k8s.io", "v1", "networkpolicies", KubernetesNetworkPolicy.KubernetesKind),
        [Namespace.KindName] = KubeResource.Namespaces,
        // Read with their EndpointSlices' endpoints joined in (KubernetesBackend.Service.cs).
        [Service.KindName] = KubeResource.Services,
    };

    /// <summary>The kinds whose objects live in a namespace: their store key is NAMESPACE/NAME.</summary>
    public static readonly IReadOnlySet<string> Namespaced = new HashSet<string>(StringComparer.Ordinal)
    {
        NetworkPolicy.KindName,
        KubernetesNetworkPolicy.KindName,
        Service.KindName,
    };

    private static KubeResource Crd(string plural, string kind) => new(Resource.Group, Resource.Version, plural, kind);
}
