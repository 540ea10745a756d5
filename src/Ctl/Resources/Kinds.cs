using RoutedNet.Datastore.Resources;
using RoutedNet.Policy;

namespace RoutedNet.Ctl.Resources;

/// <summary>Every kind routednetctl handles, found by name, plural or short name, case-insensitively.</summary>
internal static class Kinds
{
    private static readonly IKindOps[] All =
    [
        new KindOps<IPPool>(), new KindOps<IPAMConfig>(), new KindOps<IPAMBlock>(), new KindOps<BlockAffinity>(),
        new KindOps<IPAMHandle>(), new KindOps<Node>(), new KindOps<WorkloadEndpoint>(), new KindOps<BGPPeer>(), new KindOps<BGPFilter>(),
        new KindOps<BGPConfiguration>(), new KindOps<Namespace>(),
        new KindOps<NetworkPolicy>(PolicyValidator.Validate), new KindOps<GlobalNetworkPolicy>(PolicyValidator.Validate),
        new KindOps<KubernetesNetworkPolicy>(PolicyValidator.Validate), new KindOps<Service>(),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ippool"] = "IPPool", ["ippools"] = "IPPool", ["pool"] = "IPPool", ["pools"] = "IPPool",
        ["ipamconfig"] = "IPAMConfig", ["ipamconfigs"] = "IPAMConfig",
        ["ipamblock"] = "IPAMBlock", ["ipamblocks"] = "IPAMBlock", ["block"] = "IPAMBlock", ["blocks"] = "IPAMBlock",
        ["blockaffinity"] = "BlockAffinity", ["blockaffinities"] = "BlockAffinity", ["affinity"] = "BlockAffinity", ["affinities"] = "BlockAffinity",
        ["ipamhandle"] = "IPAMHandle", ["ipamhandles"] = "IPAMHandle", ["handle"] = "IPAMHandle", ["handles"] = "IPAMHandle",
        ["node"] = "Node", ["nodes"] = "Node",
        ["workloadendpoint"] = "WorkloadEndpoint", ["workloadendpoints"] = "WorkloadEndpoint", ["wep"] = "WorkloadEndpoint", ["weps"] = "WorkloadEndpoint",
        ["bgppeer"] = "BGPPeer", ["bgppeers"] = "BGPPeer",
        ["bgpfilter"] = "BGPFilter", ["bgpfilters"] = "BGPFilter",
        ["bgpconfiguration"] = "BGPConfiguration", ["bgpconfigurations"] = "BGPConfiguration", ["bgpconfig"] = "BGPConfiguration",
        ["service"] = "Service", ["services"] = "Service", ["svc"] = "Service",
        ["namespace"] = "Namespace", ["namespaces"] = "Namespace", ["ns"] = "Namespace",
        // As calicoctl: networkpolicy is ours (routednet.io); the Kubernetes kind has its own names.
        ["networkpolicy"] = "NetworkPolicy", ["networkpolicies"] = "NetworkPolicy", ["netpol"] = "NetworkPolicy", ["np"] = "NetworkPolicy",
        ["globalnetworkpolicy"] = "GlobalNetworkPolicy", ["globalnetworkpolicies"] = "GlobalNetworkPolicy", ["gnp"] = "GlobalNetworkPolicy",
        ["kubernetesnetworkpolicy"] = "KubernetesNetworkPolicy", ["kubernetesnetworkpolicies"] = "KubernetesNetworkPolicy", ["knp"] = "KubernetesNetworkPolicy",
        ["networkpolicies.networking.k8s.io"] = "KubernetesNetworkPolicy", ["networkpolicy.networking.k8s.io"] = "KubernetesNetworkPolicy",
    };

    public static IReadOnlyList<string> Names => All.Select(k => k.Kind).ToArray();

    /// <summary>
    /// IPAM's own records: written by hand they can hand an address out twice or lose one, so
    /// apply, create and delete take them only with --allow-ipam-kinds (the ipam commands are the safe way).
    /// </summary>
    public static bool IsIpamBookkeeping(string kind) =>
        kind is nameof(IPAMBlock) or nameof(BlockAffinity) or nameof(IPAMHandle);

    /// <summary>
    /// The kind of a document by its apiVersion and kind: routednet.io/v1 kinds, and the Kubernetes
    /// documents a kubectl user has (networking.k8s.io/v1 NetworkPolicy, v1 Namespace, v1 Service).
    /// </summary>
    public static IKindOps? FindDocument(string? apiVersion, string kind) => (apiVersion, kind) switch
    {
        (KubernetesNetworkPolicy.KubernetesApiVersion, KubernetesNetworkPolicy.KubernetesKind) => All.First(k => k.Kind == KubernetesNetworkPolicy.KindName),
        ("v1", "Namespace") => All.First(k => k.Kind == Namespace.KindName),
        ("v1", "Service") => All.First(k => k.Kind == Service.KindName),
        (Resource.GroupVersion, _) when kind != KubernetesNetworkPolicy.KindName => All.FirstOrDefault(k => k.Kind == kind),
        _ => null,
    };

    public static IKindOps Find(string name) =>
        Aliases.TryGetValue(name, out var kind) ? All.First(k => k.Kind == kind)
        : throw new CtlException($"unknown kind \"{name}\"; known kinds: {string.Join(", ", Names)}");
}
