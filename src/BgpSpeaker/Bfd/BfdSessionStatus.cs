using System.Net;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>What `show bfd` would print of one session.</summary>
public sealed record BfdSessionStatus(
    IPAddress Peer,
    BfdState State,
    BfdState RemoteState,
    BfdDiagnostic LocalDiagnostic,
    uint LocalDiscriminator,
    uint RemoteDiscriminator,
    TimeSpan DetectionTime,
    bool RemoteControlPlaneIndependent);
