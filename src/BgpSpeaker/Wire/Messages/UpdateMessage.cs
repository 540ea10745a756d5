using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// UPDATE (RFC 4271 §4.3; multiprotocol RFC 4760).
/// <code>
/// +-----------------------------------------------------+
/// |   Withdrawn Routes Length (2 octets)                |
/// +-----------------------------------------------------+
/// |   Withdrawn Routes (variable)                       |
/// +-----------------------------------------------------+
/// |   Total Path Attribute Length (2 octets)            |
/// +-----------------------------------------------------+
/// |   Path Attributes (variable)                        |
/// +-----------------------------------------------------+
/// |   Network Layer Reachability Information (variable) |
/// +-----------------------------------------------------+
/// </code>
/// Withdrawn Routes and NLRI are IPv4 only; IPv6 travels in <see cref="MpReach"/> and <see cref="MpUnreach"/>.
/// </summary>
public sealed partial class UpdateMessage : BgpMessage
{
    /// <summary>Attributes on the wire when decoded; -1 when built locally (then derived from the properties).</summary>
    private readonly int _attributesOnWire;

    public UpdateMessage(
        ImmutableArray<BgpPrefix> withdrawnRoutes = default,
        PathAttributes? attributes = null,
        ImmutableArray<BgpPrefix> nlri = default,
        MpReachNlri? mpReach = null,
        MpUnreachNlri? mpUnreach = null,
        ImmutableArray<uint> withdrawnPathIds = default,
        ImmutableArray<uint> nlriPathIds = default)
        : this(withdrawnRoutes, attributes, nlri, mpReach, mpUnreach, -1, withdrawnPathIds, nlriPathIds)
    {
        PathIds.Require(WithdrawnPathIds, WithdrawnRoutes.Length, nameof(withdrawnPathIds));
        PathIds.Require(NlriPathIds, Nlri.Length, nameof(nlriPathIds));
        foreach (var prefix in WithdrawnRoutes.AsSpan())
        {
            RequireIpv4(prefix, nameof(withdrawnRoutes));
        }
        foreach (var prefix in Nlri.AsSpan())
        {
            RequireIpv4(prefix, nameof(nlri));
        }
    }

    private UpdateMessage(ImmutableArray<BgpPrefix> withdrawnRoutes, PathAttributes? attributes, ImmutableArray<BgpPrefix> nlri, MpReachNlri? mpReach, MpUnreachNlri? mpUnreach, int attributesOnWire, ImmutableArray<uint> withdrawnPathIds, ImmutableArray<uint> nlriPathIds)
    {
        WithdrawnPathIds = withdrawnPathIds.IsDefault ? [] : withdrawnPathIds;
        NlriPathIds = nlriPathIds.IsDefault ? [] : nlriPathIds;
        WithdrawnRoutes = withdrawnRoutes.IsDefault ? [] : withdrawnRoutes;
        Attributes = attributes ?? PathAttributes.Empty;
        Nlri = nlri.IsDefault ? [] : nlri;
        MpReach = mpReach;
        MpUnreach = mpUnreach;
        _attributesOnWire = attributesOnWire;
    }

    public override BgpMessageType Type => BgpMessageType.Update;

    /// <summary>IPv4 unicast prefixes withdrawn.</summary>
    public ImmutableArray<BgpPrefix> WithdrawnRoutes { get; }

    /// <summary>ADD-PATH (RFC 7911 §3): the Path Identifier of each of <see cref="WithdrawnRoutes"/>, or empty when the session sends none.</summary>
    public ImmutableArray<uint> WithdrawnPathIds { get; }

    /// <summary>Every attribute but MP_REACH/MP_UNREACH; <see cref="PathAttributes.Empty"/> when none.</summary>
    public PathAttributes Attributes { get; }

    /// <summary>IPv4 unicast prefixes announced with <see cref="Attributes"/> and its NEXT_HOP.</summary>
    public ImmutableArray<BgpPrefix> Nlri { get; }

    /// <summary>The Path Identifier of each of <see cref="Nlri"/>, or empty.</summary>
    public ImmutableArray<uint> NlriPathIds { get; }

    /// <summary>Prefixes of another family announced with <see cref="Attributes"/> and this next hop.</summary>
    public MpReachNlri? MpReach { get; }

    public MpUnreachNlri? MpUnreach { get; }

    /// <summary>The End-of-RIB marker of a family (RFC 4724 §2): an empty UPDATE for IPv4 unicast, else an empty MP_UNREACH_NLRI.</summary>
    public static UpdateMessage EndOfRib(AfiSafi family) =>
        family == AfiSafi.Ipv4Unicast ? new UpdateMessage() : new UpdateMessage(mpUnreach: new MpUnreachNlri(family, []));

    /// <summary>
    /// Whether this is an End-of-RIB marker (RFC 4724 §2): no withdrawn routes, no NLRI and no
    /// attributes (IPv4 unicast), or nothing but an MP_UNREACH_NLRI without prefixes (its family).
    /// </summary>
    public bool IsEndOfRib(out AfiSafi family)
    {
        family = default;
        if (!WithdrawnRoutes.IsEmpty || !Nlri.IsEmpty || MpReach is not null)
        {
            return false;
        }
        var attributeCount = _attributesOnWire >= 0
            ? _attributesOnWire
            : (MpUnreach is null ? 0 : 1) + (ReferenceEquals(Attributes, PathAttributes.Empty) || Attributes.Equals(PathAttributes.Empty) ? 0 : 1);
        if (attributeCount == 0)
        {
            family = AfiSafi.Ipv4Unicast;
            return true;
        }
        if (attributeCount == 1 && MpUnreach is { Withdrawn.IsEmpty: true })
        {
            family = MpUnreach.Family;
            return true;
        }
        return false;
    }

    public override string ToString() =>
        $"UPDATE withdrawn {WithdrawnRoutes.Length + (MpUnreach?.Withdrawn.Length ?? 0)}, announced {Nlri.Length + (MpReach?.Nlri.Length ?? 0)}"
        + (Attributes.Equals(PathAttributes.Empty) ? string.Empty : $" with {Attributes}");

    private static void RequireIpv4(BgpPrefix prefix, string parameter)
    {
        if (prefix.IsIPv6)
        {
            throw new ArgumentException($"{prefix}: the Withdrawn Routes and NLRI fields carry IPv4 only; use MP_REACH/MP_UNREACH", parameter);
        }
    }
}
