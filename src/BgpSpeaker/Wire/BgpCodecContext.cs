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

    /// <summary>ADD-PATH for IPv4 unicast as negotiated (RFC 7911 §5): Send, we write a path identifier before each prefix; Receive, the peer does.</summary>
    public AddPathMode AddPathIpv4 { get; init; }

    /// <summary>ADD-PATH for IPv6 unicast as negotiated; see <see cref="AddPathIpv4"/>.</summary>
    public AddPathMode AddPathIpv6 { get; init; }

    /// <summary>Whether the prefixes we write in this family carry path identifiers.</summary>
    public bool WritesPathIds(bool isIPv6) => (isIPv6 ? AddPathIpv6 : AddPathIpv4).HasFlag(AddPathMode.Send);

    /// <summary>Whether the prefixes we read in this family carry path identifiers.</summary>
    public bool ReadsPathIds(bool isIPv6) => (isIPv6 ? AddPathIpv6 : AddPathIpv4).HasFlag(AddPathMode.Receive);

    /// <summary>Largest UPDATE, NOTIFICATION or ROUTE-REFRESH; OPEN and KEEPALIVE stay at 4096 (RFC 8654 §4).</summary>
    public int MaxMessageLength => ExtendedMessage ? ExtendedMaxMessageLength : StandardMaxMessageLength;

    /// <summary>Largest message of the given type, including the 19-octet header.</summary>
    public int MaxLengthOf(BgpMessageType type) =>
        type is BgpMessageType.Open or BgpMessageType.Keepalive ? StandardMaxMessageLength : MaxMessageLength;
}
