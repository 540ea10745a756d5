using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// The capabilities of one OPEN (RFC 5492). Written in code order in one Capabilities optional
/// parameter; unknown ones (<see cref="Unknown"/>) are kept as received and written last.
/// </summary>
public sealed partial record BgpCapabilities
{
    public static BgpCapabilities None { get; } = new();

    /// <summary>Multiprotocol capabilities, one per family (RFC 4760 §8).</summary>
    public ImmutableArray<AfiSafi> Multiprotocol { get; init; } = [];

    /// <summary>Route refresh (RFC 2918).</summary>
    public bool RouteRefresh { get; init; }

    /// <summary>Enhanced route refresh (RFC 7313).</summary>
    public bool EnhancedRouteRefresh { get; init; }

    /// <summary>Extended messages up to 65535 octets (RFC 8654).</summary>
    public bool ExtendedMessage { get; init; }

    /// <summary>Graceful restart (RFC 4724); null when not sent.</summary>
    public GracefulRestartCapability? GracefulRestart { get; init; }

    /// <summary>The speaker's real AS from the 4-octet AS capability (RFC 6793 §3); null when not sent.</summary>
    public uint? FourOctetAs { get; init; }

    public ImmutableArray<RawCapability> Unknown { get; init; } = [];

    /// <summary>Families for the session: the ones both sides listed (RFC 4760 §8); IPv4 unicast when a side sent none (RFC 4760 §1 default).</summary>
    public ImmutableArray<AfiSafi> NegotiatedFamilies(BgpCapabilities peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ImmutableArray<AfiSafi> ours = Multiprotocol.IsEmpty ? [AfiSafi.Ipv4Unicast] : Multiprotocol;
        ImmutableArray<AfiSafi> theirs = peer.Multiprotocol.IsEmpty ? [AfiSafi.Ipv4Unicast] : peer.Multiprotocol;
        return [.. ours.Where(theirs.Contains).Distinct()];
    }

    public bool Equals(BgpCapabilities? other) =>
        other is not null
        && Multiprotocol.AsSpan().SequenceEqual(other.Multiprotocol.AsSpan())
        && RouteRefresh == other.RouteRefresh && EnhancedRouteRefresh == other.EnhancedRouteRefresh
        && ExtendedMessage == other.ExtendedMessage && Equals(GracefulRestart, other.GracefulRestart)
        && FourOctetAs == other.FourOctetAs && Unknown.AsSpan().SequenceEqual(other.Unknown.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Multiprotocol.Length, RouteRefresh, ExtendedMessage, GracefulRestart, FourOctetAs, Unknown.Length);
}
