using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

/// <summary>The kinds stored as cluster-scoped custom resources in routednet.io/v1 (charts/routednet/crds/).</summary>
public static class CrdKinds
{
    public static readonly IReadOnlyDictionary<string, KubeResource> ByKind = new Dictionary<string, KubeResource>(StringComparer.Ordinal)
    {
        [IPPool.KindName] = Crd("ippools", IPPool.KindName),
        [IPAMConfig.KindName] = Crd("ipamconfigs", IPAMConfig.KindName),
        [BGPConfiguration.KindName] = Crd("bgpconfigurations", BGPConfiguration.KindName),
        [BGPPeer.KindName] = Crd("bgppeers", BGPPeer.KindName),
        [IPAMBlock.KindName] = Crd("ipamblocks", IPAMBlock.KindName),
        [BlockAffinity.KindName] = Crd("blockaffinities", BlockAffinity.KindName),
        [IPAMHandle.KindName] = Crd("ipamhandles", IPAMHandle.KindName),
    };

    private static KubeResource Crd(string plural, string kind) => new(Resource.Group, Resource.Version, plural, kind);
}
