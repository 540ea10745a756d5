namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.MessageHeaderError"/> (RFC 4271 §4.5, §6.1).</summary>
public enum MessageHeaderErrorSubcode : byte
{
    Unspecific = 0,

    /// <summary>The marker is not all ones. No data.</summary>
    ConnectionNotSynchronized = 1,

    /// <summary>Data: the erroneous 2-octet Length field.</summary>
    BadMessageLength = 2,

    /// <summary>Data: the erroneous Type octet.</summary>
    BadMessageType = 3,
}
