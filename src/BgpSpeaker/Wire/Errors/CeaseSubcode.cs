namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.Cease"/> (RFC 4486 §4, RFC 8538 §3, RFC 9384).</summary>
public enum CeaseSubcode : byte
{
    Unspecific = 0,

    /// <summary>Data (RFC 4486 §4): AFI (2), SAFI (1), the prefix limit (4).</summary>
    MaximumNumberOfPrefixesReached = 1,

    /// <summary>Data (RFC 8203, RFC 9003): an optional shutdown communication (length octet, UTF-8).</summary>
    AdministrativeShutdown = 2,
    PeerDeconfigured = 3,

    /// <summary>Data (RFC 8203, RFC 9003): an optional shutdown communication (length octet, UTF-8).</summary>
    AdministrativeReset = 4,
    ConnectionRejected = 5,
    OtherConfigurationChange = 6,
    ConnectionCollisionResolution = 7,
    OutOfResources = 8,

    /// <summary>RFC 8538 §3: ends the session without graceful-restart helper treatment.</summary>
    HardReset = 9,

    /// <summary>RFC 9384.</summary>
    BfdDown = 10,
}
