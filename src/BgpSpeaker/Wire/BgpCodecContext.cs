namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// What the session negotiated that changes how bytes are read and written. Before the OPEN
/// exchange completes use <see cref="Initial"/>; afterwards fill it from both OPENs.
/// </summary>
/// <param name="FourOctetAs">Both sides sent the 4-octet AS capability (RFC 6793): AS_PATH and AGGREGATOR carry 4-octet ASNs and AS4_* attributes are not used.</param>
/// <param name="ExtendedMessage">Both sides sent the extended message capability (RFC 8654): UPDATE, NOTIFICATION and ROUTE-REFRESH may be up to 65535 octets.</param>
/// <param name="IsExternal">The peer is in another AS (eBGP): LOCAL_PREF is ignored, ORIGINATOR_ID and CLUSTER_LIST are discarded (RFC 7606 §7.5, §7.9, §7.10), and LOCAL_PREF is not mandatory.</param>
public readonly record struct BgpCodecContext(bool FourOctetAs, bool ExtendedMessage, bool IsExternal)
{
    /// <summary>RFC 4271 §4.1: the largest message before RFC 8654 was negotiated.</summary>
    public const int StandardMaxMessageLength = 4096;

    /// <summary>RFC 8654 §4: the largest message once extended messages were negotiated.</summary>
    public const int ExtendedMaxMessageLength = 65535;

    /// <summary>Before capabilities are known: 2-octet ASNs, 4096-octet messages, eBGP rules.</summary>
    public static BgpCodecContext Initial => new(false, false, true);

    /// <summary>Largest UPDATE, NOTIFICATION or ROUTE-REFRESH; OPEN and KEEPALIVE stay at 4096 (RFC 8654 §4).</summary>
    public int MaxMessageLength => ExtendedMessage ? ExtendedMaxMessageLength : StandardMaxMessageLength;

    /// <summary>Largest message of the given type, including the 19-octet header.</summary>
    public int MaxLengthOf(BgpMessageType type) =>
        type is BgpMessageType.Open or BgpMessageType.Keepalive ? StandardMaxMessageLength : MaxMessageLength;
}
