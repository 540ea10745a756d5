using System.Net;

namespace RoutedNet.Ipam.Blocks;

/// <summary>
/// Resource names of IPAM objects. A block is named after its CIDR (10.244.3.0/24 →
/// <c>10-244-3-0-24</c>), so that two nodes racing for the same block race on one key and the
/// store's create-if-absent decides. An affinity is per node and block, so two pending claims can
/// coexist until the block's creation settles who won.
/// </summary>
public static class BlockNames
{
    public static string ForBlock(IPNetwork cidr) =>
        cidr.ToString().Replace('.', '-').Replace(':', '-').Replace('/', '-');

    public static string ForAffinity(string node, IPNetwork cidr) => node + "-" + ForBlock(cidr);

    /// <summary>The <c>affinity</c> value of a block a node holds.</summary>
    public static string HostAffinity(string node) => "host:" + node;

    /// <summary>The node of a <c>host:NODE</c> affinity, or null.</summary>
    public static string? NodeOf(string? affinity) =>
        affinity is not null && affinity.StartsWith("host:", StringComparison.Ordinal) ? affinity[5..] : null;
}
