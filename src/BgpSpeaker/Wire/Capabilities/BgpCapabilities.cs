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

    /// <summary>ADD-PATH (RFC 7911 §4), one entry per family; empty when not sent.</summary>
    public ImmutableArray<AddPathFamily> AddPath { get; init; } = [];

    public ImmutableArray<RawCapability> Unknown { get; init; } = [];

    /// <summary>
    /// Which way path identifiers travel for <paramref name="family"/> in a session where we sent
    /// these capabilities and the peer sent <paramref name="peer"/> (RFC 7911 §5): Send when we
    /// offered to send and the peer to receive, Receive when the other way round.
    /// </summary>
    public AddPathMode NegotiatedAddPath(BgpCapabilities peer, AfiSafi family)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var ours = ModeFor(AddPath, family);
        var theirs = ModeFor(peer.AddPath, family);
        var mode = AddPathMode.None;
        if (ours.HasFlag(AddPathMode.Send) && theirs.HasFlag(AddPathMode.Receive))
        {
            mode |= AddPathMode.Send;
        }
        if (ours.HasFlag(AddPathMode.Receive) && theirs.HasFlag(AddPathMode.Send))
        {
            mode |= AddPathMode.Receive;
        }
        return mode;
    }

    private static AddPathMode ModeFor(ImmutableArray<AddPathFamily> entries, AfiSafi family)
    {
        foreach (var entry in entries)
        {
            if (entry.Family == family)
            {
                return entry.Mode;
            }
        }
        return AddPathMode.None;
    }

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
        && FourOctetAs == other.FourOctetAs && AddPath.AsSpan().SequenceEqual(other.AddPath.AsSpan()) && Unknown.AsSpan().SequenceEqual(other.Unknown.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Multiprotocol.Length, RouteRefresh, ExtendedMessage, GracefulRestart, FourOctetAs, Unknown.Length);
}
