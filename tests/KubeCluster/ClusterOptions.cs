namespace RoutedNet.Tests.KubeCluster;

/// <summary>What to bring up: how many nodes, where the cluster's files go, and which image archive the nodes load.</summary>
public sealed record ClusterOptions
{
    public int Nodes { get; init; } = 3;

    /// <summary>The cluster's directory (stand-in, podman store, node roots); a fresh temporary one when null.</summary>
    public string? Dir { get; init; }

    /// <summary>The OCI archive every node loads (`./build.sh image`: out/image/routednet.tar), as `ctr images import` would on a real node.</summary>
    public required string ImageArchive { get; init; }
}
