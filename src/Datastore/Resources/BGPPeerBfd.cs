namespace RoutedNet.Datastore.Resources;

/// <summary>
/// BGPPeer <c>spec.bfd</c>: a BFD session (RFC 5880/5881) beside the BGP session, which takes it
/// down as soon as the path fails. Intervals in milliseconds (MetalLB's BFDProfile names);
/// absent fields take the defaults. <see cref="Mode"/>: <c>Hard</c> (a failure resets the BGP
/// session and drops the peer's routes at once) or <c>Graceful</c> (a peer whose BFD shares fate
/// with its control plane, C bit 0, going down is taken as a restart: BGP graceful restart decides).
/// </summary>
public sealed record BGPPeerBfd
{
    public const int DefaultInterval = 300;
    public const int DefaultMultiplier = 3;
    public const int DefaultMinimumTtl = 1;
    public const string ModeHard = "Hard";
    public const string ModeGraceful = "Graceful";

    /// <summary>How often this node can take the peer's packets; default 300.</summary>
    public int? ReceiveInterval { get; init; }

    /// <summary>How often this node wants to send; default 300.</summary>
    public int? TransmitInterval { get; init; }

    /// <summary>Missed packets of the peer that declare the path down; default 3.</summary>
    public int? DetectMultiplier { get; init; }

    /// <summary>
    /// For a peer not on a connected subnet (multihop BFD, RFC 5883): the lowest TTL its packets may
    /// arrive with, the peer's initial TTL − the routers allowed between (FRR sends 255, BIRD 64);
    /// default 1, any. Single-hop sessions always require 255.
    /// </summary>
    public int? MinimumTtl { get; init; }

    /// <summary>Hard (default) or Graceful.</summary>
    public string? Mode { get; init; }
}
