using System.Net;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>What `show bfd` would print of one session: states, discriminators, the negotiated intervals (see <see cref="BfdSession"/>) and the flap history.</summary>
public sealed record BfdSessionStatus(
    IPAddress Peer,
    BfdState State,
    BfdState RemoteState,
    BfdDiagnostic LocalDiagnostic,
    uint LocalDiscriminator,
    uint RemoteDiscriminator,
    TimeSpan DetectionTime,
    bool RemoteControlPlaneIndependent)
{
    /// <summary>RFC 5883 (port 4784) rather than RFC 5881.</summary>
    public bool Multihop { get; init; }

    public TimeSpan TransmitInterval { get; init; }

    public TimeSpan ReceiveInterval { get; init; }

    public BfdDiagnostic LastDownDiagnostic { get; init; }

    public long Ups { get; init; }

    public long Downs { get; init; }
}
