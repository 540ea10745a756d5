namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Capability codes this codec understands (IANA "Capability Codes"; RFC 5492).</summary>
public enum CapabilityCode : byte
{
    /// <summary>RFC 4760 §8.</summary>
    Multiprotocol = 1,

    /// <summary>RFC 2918 §2.</summary>
    RouteRefresh = 2,

    /// <summary>RFC 8654 §3.</summary>
    ExtendedMessage = 6,

    /// <summary>RFC 4724 §3.</summary>
    GracefulRestart = 64,

    /// <summary>RFC 6793 §3.</summary>
    FourOctetAs = 65,

    /// <summary>RFC 7911 §4.</summary>
    AddPath = 69,

    /// <summary>RFC 7313 §3.1.</summary>
    EnhancedRouteRefresh = 70,
}
