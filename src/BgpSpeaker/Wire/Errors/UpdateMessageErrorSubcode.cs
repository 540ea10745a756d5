namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.UpdateMessageError"/> (RFC 4271 §4.5, §6.3).</summary>
public enum UpdateMessageErrorSubcode : byte
{
    Unspecific = 0,
    MalformedAttributeList = 1,

    /// <summary>Data: the unrecognized attribute (type, length, value).</summary>
    UnrecognizedWellKnownAttribute = 2,

    /// <summary>Data: the type code of the missing attribute.</summary>
    MissingWellKnownAttribute = 3,

    /// <summary>Data: the erroneous attribute (type, length, value).</summary>
    AttributeFlagsError = 4,

    /// <summary>Data: the erroneous attribute (type, length, value).</summary>
    AttributeLengthError = 5,

    /// <summary>Data: the erroneous attribute (type, length, value).</summary>
    InvalidOriginAttribute = 6,

    // 7 (AS Routing Loop) is deprecated by RFC 4271 Appendix A.

    /// <summary>Data: the erroneous attribute (type, length, value).</summary>
    InvalidNextHopAttribute = 8,

    /// <summary>Data: the erroneous attribute (type, length, value).</summary>
    OptionalAttributeError = 9,
    InvalidNetworkField = 10,
    MalformedAsPath = 11,
}
