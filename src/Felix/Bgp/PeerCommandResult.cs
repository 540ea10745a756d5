namespace RoutedNet.Felix.Bgp;

/// <summary>What became of an operator's command on one peer (`routednetctl bgp reset|refresh`).</summary>
public enum PeerCommandResult
{
    Done,

    /// <summary>The agent has no peer with that address.</summary>
    NotConfigured,

    /// <summary>The session is not Established, or the peer did not offer route refresh (RFC 2918 §4: then none may be sent).</summary>
    NotEstablished,
}
