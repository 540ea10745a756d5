using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>The resources the agent follows. Owned by <see cref="ClusterSyncer"/>'s loop.</summary>
public sealed class ClusterView
{
    public ResourceCache<Node> Nodes { get; } = new();

    public ResourceCache<WorkloadEndpoint> WorkloadEndpoints { get; } = new();

    public ResourceCache<IPAMBlock> Blocks { get; } = new();

    public ResourceCache<BGPPeer> Peers { get; } = new();

    public ResourceCache<BGPConfiguration> BgpConfigurations { get; } = new();

    public ResourceCache<IPPool> Pools { get; } = new();

    /// <summary>True once every kind has been listed: the agent knows everything it should.</summary>
    public bool InSync =>
        Nodes.Listed && WorkloadEndpoints.Listed && Blocks.Listed && Peers.Listed && BgpConfigurations.Listed && Pools.Listed;
}
