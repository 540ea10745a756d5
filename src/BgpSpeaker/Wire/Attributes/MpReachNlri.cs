using System.Collections.Immutable;
using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// MP_REACH_NLRI (RFC 4760 §3) for IPv4 or IPv6 unicast: the next hop and the announced prefixes.
/// An IPv6 next hop is a global address, optionally followed by a link-local one (RFC 2545 §3).
/// </summary>
public sealed class MpReachNlri
{
    public MpReachNlri(AfiSafi family, IPAddress nextHop, ImmutableArray<BgpPrefix> nlri, IPAddress? linkLocalNextHop = null, ImmutableArray<uint> pathIds = default)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        if (!family.IsSupportedUnicast)
        {
            throw new ArgumentException($"family {family} is not IPv4 or IPv6 unicast", nameof(family));
        }
        var isIPv6 = family.Afi == Afi.Ipv6;
        if ((nextHop.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != isIPv6
            || (linkLocalNextHop is not null && (!isIPv6 || linkLocalNextHop.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)))
        {
            throw new ArgumentException($"next hop {nextHop} {linkLocalNextHop} does not suit family {family}", nameof(nextHop));
        }
        foreach (var prefix in nlri.AsSpan())
        {
            if (prefix.IsIPv6 != isIPv6)
            {
                throw new ArgumentException($"{prefix} is not of family {family}", nameof(nlri));
            }
        }
        Family = family;
        NextHop = nextHop;
        LinkLocalNextHop = linkLocalNextHop;
        Nlri = nlri.IsDefault ? [] : nlri;
        PathIds = pathIds.IsDefault ? [] : pathIds;
        Wire.PathIds.Require(PathIds, Nlri.Length, nameof(pathIds));
    }

    public AfiSafi Family { get; }

    public IPAddress NextHop { get; }

    public IPAddress? LinkLocalNextHop { get; }

    public ImmutableArray<BgpPrefix> Nlri { get; }

    /// <summary>ADD-PATH (RFC 7911 §3): the Path Identifier of each of <see cref="Nlri"/>, or empty.</summary>
    public ImmutableArray<uint> PathIds { get; }

}
