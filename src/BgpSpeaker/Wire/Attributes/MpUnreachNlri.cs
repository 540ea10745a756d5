using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// MP_UNREACH_NLRI (RFC 4760 §4): withdrawn prefixes of one family. Empty, it is that family's
/// End-of-RIB (RFC 4724 §2). Families other than IPv4/IPv6 unicast are kept with their NLRI
/// skipped, so that their End-of-RIB is still seen.
/// </summary>
public sealed class MpUnreachNlri
{
    public MpUnreachNlri(AfiSafi family, ImmutableArray<BgpPrefix> withdrawn, ImmutableArray<uint> pathIds = default)
    {
        foreach (var prefix in withdrawn.AsSpan())
        {
            if (!family.IsSupportedUnicast || prefix.IsIPv6 != (family.Afi == Afi.Ipv6))
            {
                throw new ArgumentException($"{prefix} is not of family {family}", nameof(withdrawn));
            }
        }
        Family = family;
        Withdrawn = withdrawn.IsDefault ? [] : withdrawn;
        PathIds = pathIds.IsDefault ? [] : pathIds;
        Wire.PathIds.Require(PathIds, Withdrawn.Length, nameof(pathIds));
    }

    public AfiSafi Family { get; }

    public ImmutableArray<BgpPrefix> Withdrawn { get; }

    /// <summary>ADD-PATH (RFC 7911 §3): the Path Identifier of each of <see cref="Withdrawn"/>, or empty.</summary>
    public ImmutableArray<uint> PathIds { get; }
}
