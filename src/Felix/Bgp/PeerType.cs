namespace RoutedNet.Felix.Bgp;

/// <summary>Why the agent peers with someone (`routednetctl node status` "peer type").</summary>
public enum PeerType
{
    /// <summary>Node-to-node full mesh over the Node resources.</summary>
    Mesh,

    /// <summary>A BGPPeer without a nodeSelector: every node peers with it.</summary>
    Global,

    /// <summary>A BGPPeer whose nodeSelector picks this node.</summary>
    NodeSpecific,
}
