namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.OpenMessageError"/> (RFC 4271 §4.5, §6.2; RFC 5492 §3).</summary>
public enum OpenMessageErrorSubcode : byte
{
    /// <summary>RFC 4271 §6.2: a recognized optional parameter is malformed.</summary>
    Unspecific = 0,

    /// <summary>Data: 2 octets, the largest version we support (4).</summary>
    UnsupportedVersionNumber = 1,
    BadPeerAs = 2,
    BadBgpIdentifier = 3,
    UnsupportedOptionalParameter = 4,

    // 5 (Authentication Failure) is deprecated by RFC 4271 Appendix A.
    UnacceptableHoldTime = 6,

    /// <summary>RFC 5492 §3: data lists the capabilities we require but the peer lacks.</summary>
    UnsupportedCapability = 7,
}
