using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Workloads;

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

    /// <summary>The pods the CNI plugin wired on this node, from its attachment records (no datastore needed).</summary>
    public IReadOnlyList<LocalAttachment> LocalAttachments { get; private set; } = [];

    public bool LocalAttachmentsListed { get; private set; }

    /// <summary>True once every kind and the local attachments have been listed: the agent knows everything it should.</summary>
    public bool InSync =>
        Nodes.Listed && WorkloadEndpoints.Listed && Blocks.Listed && Peers.Listed && BgpConfigurations.Listed && Pools.Listed && LocalAttachmentsListed;

    public void ReplaceLocalAttachments(IReadOnlyList<LocalAttachment> attachments)
    {
        LocalAttachments = attachments;
        LocalAttachmentsListed = true;
    }
}
