using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Reads the Path Attributes field of an UPDATE (RFC 4271 §4.3):
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +---------------+---------------+-------------------------------+
/// | Attr. Flags   |Attr. Type Code| Length (1, or 2 if Ext. Len.) | Value ...
/// +---------------+---------------+-------------------------------+
/// </code>
/// Each error is classified per RFC 7606: the result carries the strongest one, and only a
/// session reset stops the read. Error data is the whole erroneous attribute, as an offset into
/// the UPDATE body (RFC 4271 §6.3).
/// </summary>
internal ref struct PathAttributeReader
{
    private readonly BgpCodecContext _context;
    private readonly int _baseOffset;
    private BgpError _error;
    private int _count;
    private Origin? _origin;
    private AsPath? _asPath;
    private AsPath? _as4Path;
    private IPAddress? _nextHop;
    private uint? _med;
    private uint? _localPref;
    private bool _atomicAggregate;
    private Aggregator? _aggregator;
    private Aggregator? _as4Aggregator;
    private ImmutableArray<uint> _communities;
    private ImmutableArray<LargeCommunity> _largeCommunities;
    private uint? _originatorId;
    private ImmutableArray<uint> _clusterList;
    private List<RawPathAttribute>? _unknown;
    private MpReachNlri? _mpReach;
    private MpUnreachNlri? _mpUnreach;

    /// <param name="context">The session's negotiated parameters.</param>
    /// <param name="baseOffset">Where the attributes start in the UPDATE body, for error data offsets.</param>
    public PathAttributeReader(in BgpCodecContext context, int baseOffset)
    {
        _context = context;
        _baseOffset = baseOffset;
        _communities = [];
        _largeCommunities = [];
        _clusterList = [];
    }

    /// <summary>The strongest error that did not reset the session.</summary>
    public readonly BgpError Error => _error;

    /// <summary>Attributes found on the wire, duplicates and discarded ones included.</summary>
    public readonly int Count => _count;

    public readonly MpReachNlri? MpReach => _mpReach;

    public readonly MpUnreachNlri? MpUnreach => _mpUnreach;

    public readonly bool Has(PathAttributeType type) => type switch
    {
        PathAttributeType.Origin => _origin.HasValue,
        PathAttributeType.AsPath => _asPath is not null,
        PathAttributeType.NextHop => _nextHop is not null,
        PathAttributeType.LocalPref => _localPref.HasValue,
        _ => false,
    };

    /// <summary>Reads every attribute; false only for an error that resets the session (then <paramref name="reset"/> says which).</summary>
    public bool TryRead(ReadOnlySpan<byte> attributes, out BgpError reset)
    {
        Span<bool> seen = stackalloc bool[256];
        seen.Clear();
        var at = 0;
        while (at < attributes.Length)
        {
            var start = at;
            var remaining = attributes.Length - at;
            var flags = (PathAttributeFlags)attributes[at];
            var headerLength = (flags & PathAttributeFlags.ExtendedLength) != 0 ? 4 : 3;
            if (remaining < headerLength)
            {
                // RFC 7606 §4: too few octets left for an attribute header; Total Path Attribute Length still locates the NLRI.
                Record(MakeError(UpdateMessageErrorSubcode.MalformedAttributeList, ErrorAction.TreatAsWithdraw, start, remaining, 0));
                break;
            }
            var type = attributes[at + 1];
            int length = headerLength == 4 ? BinaryPrimitives.ReadUInt16BigEndian(attributes[(at + 2)..]) : attributes[at + 2];
            _count++;
            if (remaining - headerLength < length)
            {
                // RFC 7606 §4: the last attribute overruns the field. If it is an MP attribute its NLRI
                // cannot be found, and only a session reset is left (RFC 7606 §3 j).
                var action = type is (byte)PathAttributeType.MpReachNlri or (byte)PathAttributeType.MpUnreachNlri ? ErrorAction.SessionReset : ErrorAction.TreatAsWithdraw;
                if (!Record(MakeError(UpdateMessageErrorSubcode.AttributeLengthError, action, start, remaining, type)))
                {
                    reset = _error;
                    return false;
                }
                break;
            }
            var value = attributes.Slice(at + headerLength, length);
            at += headerLength + length;
            var whole = (Start: start, Length: headerLength + length);
            if (seen[type])
            {
                // RFC 7606 §3 g: a repeated MP attribute is a Malformed Attribute List; any other repeat is dropped.
                var action = type is (byte)PathAttributeType.MpReachNlri or (byte)PathAttributeType.MpUnreachNlri ? ErrorAction.SessionReset : ErrorAction.AttributeDiscard;
                if (!Record(MakeError(UpdateMessageErrorSubcode.MalformedAttributeList, action, whole.Start, whole.Length, type)))
                {
                    reset = _error;
                    return false;
                }
                continue;
            }
            seen[type] = true;
            if (!Record(ReadOne(flags, type, value, whole.Start, whole.Length)))
            {
                reset = _error;
                return false;
            }
        }
        reset = default;
        return true;
    }

    /// <summary>The attribute set, with AS4_PATH and AS4_AGGREGATOR folded in for an old speaker (RFC 6793 §4.2.3).</summary>
    public readonly PathAttributes Build()
    {
        var asPath = _asPath;
        var aggregator = _aggregator;
        var as4Path = _as4Path;
        if (!_context.FourOctetAs)
        {
            if (aggregator is { } agg && _as4Aggregator is { } as4Agg)
            {
                if (agg.Asn == OpenMessage.AsTrans)
                {
                    aggregator = as4Agg;
                }
                else
                {
                    // RFC 6793 §4.2.3: an AGGREGATOR with a real 2-octet AS means an old speaker aggregated
                    // after the AS4_* attributes were made; both are stale.
                    as4Path = null;
                }
            }
            if (asPath is not null && as4Path is not null)
            {
                asPath = AsPathCodec.Merge(asPath, as4Path);
            }
        }
        if (_count == 0)
        {
            return PathAttributes.Empty;
        }
        return new PathAttributes
        {
            Origin = _origin,
            AsPath = asPath,
            NextHop = _nextHop,
            MultiExitDisc = _med,
            LocalPref = _localPref,
            AtomicAggregate = _atomicAggregate,
            Aggregator = aggregator,
            Communities = _communities,
            LargeCommunities = _largeCommunities,
            OriginatorId = _originatorId,
            ClusterList = _clusterList,
            Unknown = _unknown is null ? [] : [.. _unknown],
        };
    }

    /// <summary>Keeps the strongest error; false when it resets the session.</summary>
    private bool Record(in BgpError error)
    {
        _error = _error.Strongest(error);
        return !error.IsSessionReset;
    }

    private readonly BgpError MakeError(UpdateMessageErrorSubcode subcode, ErrorAction action, int start, int length, byte type) =>
        BgpError.WithSlice(NotificationCode.UpdateMessageError, (byte)subcode, action, _baseOffset + start, length, type);

    private BgpError ReadOne(PathAttributeFlags flags, byte type, ReadOnlySpan<byte> value, int start, int length)
    {
        var asnSize = _context.FourOctetAs ? 4 : 2;
        var dataOffset = _baseOffset + start;
        BgpError Fail(UpdateMessageErrorSubcode subcode, ErrorAction action) => BgpError.WithSlice(
            NotificationCode.UpdateMessageError, (byte)subcode, action, dataOffset, length, type);

        switch ((PathAttributeType)type)
        {
            case PathAttributeType.Origin:
                if (!WellKnown(flags))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.Length != 1)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                if (value[0] > (byte)Origin.Incomplete)
                {
                    return Fail(UpdateMessageErrorSubcode.InvalidOriginAttribute, ErrorAction.TreatAsWithdraw);
                }
                _origin = (Origin)value[0];
                return default;

            case PathAttributeType.AsPath:
            {
                if (!WellKnown(flags))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                // RFC 7606 §7.2 and RFC 7607: every AS_PATH defect is treat-as-withdraw.
                if (AsPathCodec.TryRead(value, asnSize, out var path) != AsPathCodec.ReadResult.Ok
                    || (_context.IsExternal && path.Segments.Any(s => s.IsConfederation)))
                {
                    return Fail(UpdateMessageErrorSubcode.MalformedAsPath, ErrorAction.TreatAsWithdraw);
                }
                _asPath = path;
                return default;
            }

            case PathAttributeType.NextHop:
            {
                if (!WellKnown(flags))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.Length != 4)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                var address = BinaryPrimitives.ReadUInt32BigEndian(value);
                if (!IsUsableNextHop(address))
                {
                    return Fail(UpdateMessageErrorSubcode.InvalidNextHopAttribute, ErrorAction.TreatAsWithdraw);
                }
                _nextHop = new IPAddress(value);
                return default;
            }

            case PathAttributeType.MultiExitDisc:
                if (!Optional(flags, transitive: false))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.Length != 4)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _med = BinaryPrimitives.ReadUInt32BigEndian(value);
                return default;

            case PathAttributeType.LocalPref:
                if (_context.IsExternal)
                {
                    // RFC 4271 §5.1.5 and RFC 7606 §7.5: from an external peer it is ignored, whatever its shape.
                    return default;
                }
                if (!WellKnown(flags))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.Length != 4)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _localPref = BinaryPrimitives.ReadUInt32BigEndian(value);
                return default;

            case PathAttributeType.AtomicAggregate:
                // RFC 7606 §7.6: only informational, so a bad one is discarded.
                if (!WellKnown(flags))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.AttributeDiscard);
                }
                if (!value.IsEmpty)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.AttributeDiscard);
                }
                _atomicAggregate = true;
                return default;

            case PathAttributeType.Aggregator:
            {
                // RFC 7606 §7.7, RFC 7607 §2: discard when malformed or AS 0.
                if (!Optional(flags, transitive: true))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.AttributeDiscard);
                }
                if (value.Length != asnSize + 4)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.AttributeDiscard);
                }
                var asn = asnSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt16BigEndian(value);
                if (asn == 0)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                _aggregator = new Aggregator(asn, BinaryPrimitives.ReadUInt32BigEndian(value[asnSize..]));
                return default;
            }

            case PathAttributeType.Communities:
                // RFC 7606 §7.8: malformed unless a non-zero multiple of 4 octets.
                if (!Optional(flags, transitive: true))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.IsEmpty || value.Length % 4 != 0)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _communities = ReadUInt32s(value);
                return default;

            case PathAttributeType.OriginatorId:
                // RFC 7606 §7.9: meaningless from an external peer, so discarded there.
                if (_context.IsExternal)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                if (!Optional(flags, transitive: false))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.Length != 4)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _originatorId = BinaryPrimitives.ReadUInt32BigEndian(value);
                return default;

            case PathAttributeType.ClusterList:
                // RFC 7606 §7.10: as ORIGINATOR_ID, and malformed unless a non-zero multiple of 4.
                if (_context.IsExternal)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                if (!Optional(flags, transitive: false))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.IsEmpty || value.Length % 4 != 0)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _clusterList = ReadUInt32s(value);
                return default;

            case PathAttributeType.MpReachNlri:
                // RFC 7606 §7.11: we do not disable a family, so any defect resets the session.
                if (!Optional(flags, transitive: false))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.SessionReset);
                }
                return MpNlriCodec.TryReadReach(value, _context, out _mpReach) ? default : Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.SessionReset);

            case PathAttributeType.MpUnreachNlri:
                if (!Optional(flags, transitive: false))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.SessionReset);
                }
                return MpNlriCodec.TryReadUnreach(value, _context, out _mpUnreach) ? default : Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.SessionReset);

            case PathAttributeType.As4Path:
            {
                // RFC 6793 §6: never between new speakers (discard and log); malformed ones are discarded.
                if (_context.FourOctetAs || !Optional(flags, transitive: true))
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                if (value.Length < 6 || AsPathCodec.TryRead(value, 4, out var path) != AsPathCodec.ReadResult.Ok)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                _as4Path = AsPathCodec.WithoutConfederation(path);
                return default;
            }

            case PathAttributeType.As4Aggregator:
            {
                if (_context.FourOctetAs || !Optional(flags, transitive: true) || value.Length != 8)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                var asn = BinaryPrimitives.ReadUInt32BigEndian(value);
                if (asn == 0)
                {
                    return Fail(UpdateMessageErrorSubcode.OptionalAttributeError, ErrorAction.AttributeDiscard);
                }
                _as4Aggregator = new Aggregator(asn, BinaryPrimitives.ReadUInt32BigEndian(value[4..]));
                return default;
            }

            case PathAttributeType.LargeCommunities:
                // RFC 8092 §6: malformed unless a non-zero multiple of 12 octets; treat-as-withdraw.
                if (!Optional(flags, transitive: true))
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeFlagsError, ErrorAction.TreatAsWithdraw);
                }
                if (value.IsEmpty || value.Length % 12 != 0)
                {
                    return Fail(UpdateMessageErrorSubcode.AttributeLengthError, ErrorAction.TreatAsWithdraw);
                }
                _largeCommunities = ReadLargeCommunities(value);
                return default;

            default:
                if ((flags & PathAttributeFlags.Optional) == 0)
                {
                    // RFC 4271 §6.3: a well-known attribute we do not know; RFC 7606 does not soften this.
                    return Fail(UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute, ErrorAction.SessionReset);
                }
                if ((flags & PathAttributeFlags.Transitive) != 0)
                {
                    // RFC 4271 §5: pass it on, marked Partial because we did not understand it.
                    (_unknown ??= []).Add(new RawPathAttribute(
                        (flags | PathAttributeFlags.Partial) & ~PathAttributeFlags.ExtendedLength & (PathAttributeFlags)0xf0, type, [.. value]));
                }
                // RFC 4271 §9: an unrecognized optional non-transitive attribute is quietly ignored.
                return default;
        }
    }

    /// <summary>Well-known: Optional 0, Transitive 1, Partial 0 (RFC 4271 §4.3, §6.3).</summary>
    private static bool WellKnown(PathAttributeFlags flags) =>
        (flags & (PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial)) == PathAttributeFlags.Transitive;

    /// <summary>Optional with the given Transitive bit; RFC 7606 §3 c looks at these two bits only.</summary>
    private static bool Optional(PathAttributeFlags flags, bool transitive) =>
        (flags & (PathAttributeFlags.Optional | PathAttributeFlags.Transitive)) == (PathAttributeFlags.Optional | (transitive ? PathAttributeFlags.Transitive : 0));

    /// <summary>RFC 4271 §6.3: a NEXT_HOP that is no unicast host address (0/8, loopback, multicast, class E, broadcast) is invalid.</summary>
    private static bool IsUsableNextHop(uint address)
    {
        var first = address >> 24;
        return first != 0 && first != 127 && first < 224;
    }

    private static ImmutableArray<uint> ReadUInt32s(ReadOnlySpan<byte> value)
    {
        var values = new uint[value.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]);
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(values);
    }

    private static ImmutableArray<LargeCommunity> ReadLargeCommunities(ReadOnlySpan<byte> value)
    {
        var values = new LargeCommunity[value.Length / 12];
        for (var i = 0; i < values.Length; i++)
        {
            var entry = value[(i * 12)..];
            values[i] = new LargeCommunity(
                BinaryPrimitives.ReadUInt32BigEndian(entry),
                BinaryPrimitives.ReadUInt32BigEndian(entry[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[8..]));
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(values);
    }
}
