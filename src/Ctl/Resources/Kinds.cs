using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary>Every kind routednetctl handles, found by name, plural or short name, case-insensitively.</summary>
internal static class Kinds
{
    private static readonly IKindOps[] All =
    [
        new KindOps<IPPool>(), new KindOps<IPAMConfig>(), new KindOps<IPAMBlock>(), new KindOps<BlockAffinity>(),
        new KindOps<IPAMHandle>(), new KindOps<Node>(), new KindOps<WorkloadEndpoint>(), new KindOps<BGPPeer>(),
        new KindOps<BGPConfiguration>(),
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
        ["bgpconfiguration"] = "BGPConfiguration", ["bgpconfigurations"] = "BGPConfiguration", ["bgpconfig"] = "BGPConfiguration",
    };

    public static IReadOnlyList<string> Names => All.Select(k => k.Kind).ToArray();

    /// <summary>
    /// IPAM's own records: written by hand they can hand an address out twice or lose one, so
    /// apply, create and delete take them only with --allow-ipam-kinds (the ipam commands are the safe way).
    /// </summary>
    public static bool IsIpamBookkeeping(string kind) =>
        kind is nameof(IPAMBlock) or nameof(BlockAffinity) or nameof(IPAMHandle);

    public static IKindOps Find(string name) =>
        Aliases.TryGetValue(name, out var kind) ? All.First(k => k.Kind == kind)
        : throw new CtlException($"unknown kind \"{name}\"; known kinds: {string.Join(", ", Names)}");
}
