namespace RoutedNet.Ipam.Gc;

/// <summary>
/// Which handles one garbage collection may release. A CNI runtime's GC lists the live
/// attachments of its own node and network only, so its GC must be scoped to exactly those: a
/// handle of another node (or of a network whose name merely starts the same) is not "missing from
/// the list", it was never in the list's scope. What a handle belongs to is read from its
/// allocations' attributes (node, container id, interface), which every CNI ADD records; a handle
/// whose allocations do not prove it is in scope is left alone.
/// </summary>
public sealed record GcScope
{
    private GcScope(string? node, string? network)
    {
        Node = node;
        Network = network;
    }

    /// <summary>Every handle of the cluster: only for a caller that lists the whole cluster's live attachments.</summary>
    public static GcScope Cluster { get; } = new(null, null);

    /// <summary>Null: any node.</summary>
    public string? Node { get; }

    /// <summary>Null: any network; else handles named <c>NETWORK.CONTAINERID.IFNAME</c> for exactly this network.</summary>
    public string? Network { get; }

    /// <summary>The handles of one node, and of one CNI network when <paramref name="network"/> is given.</summary>
    public static GcScope Of(string? node, string? network)
    {
        if (node is { Length: 0 } || network is { Length: 0 })
        {
            throw new ArgumentException("a GC scope's node and network must not be empty");
        }
        return new GcScope(node, network);
    }

    public bool IsCluster => Node is null && Network is null;

    public override string ToString() =>
        IsCluster ? "the whole cluster" : $"{(Node is null ? "every node" : $"node {Node}")}, {(Network is null ? "every network" : $"network {Network}")}";
}
