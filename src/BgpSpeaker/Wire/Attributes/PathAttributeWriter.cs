using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Writes the Path Attributes field in type-code order (RFC 4271 §5 lets the order be free; a fixed
/// one makes decode → encode byte-exact). Runs twice over the same code: once measuring, once
/// writing, so that the sizes can never disagree with the bytes.
/// Towards an old speaker (no 4-octet AS) it writes AS_TRANS in AS_PATH/AGGREGATOR and adds
/// AS4_PATH/AS4_AGGREGATOR when some ASN needs 4 octets (RFC 6793 §4.2.2).
/// </summary>
internal ref struct PathAttributeWriter
{
    private readonly Span<byte> _destination;
    private readonly PathAttributes _attributes;
    private readonly bool _measuring;
    private int _length;
    private int _nextUnknown;

    private PathAttributeWriter(Span<byte> destination, PathAttributes attributes, bool measuring)
    {
        _destination = destination;
        _attributes = attributes;
        _measuring = measuring;
    }

    public static int Measure(in UpdateParts parts, in BgpCodecContext context)
    {
        var writer = new PathAttributeWriter(default, parts.Attributes, true);
        writer.WriteAll(parts, context);
        return writer._length;
    }

    public static int Write(Span<byte> destination, in UpdateParts parts, in BgpCodecContext context)
    {
        var writer = new PathAttributeWriter(destination, parts.Attributes, false);
        writer.WriteAll(parts, context);
        return writer._length;
    }

    private void WriteAll(in UpdateParts parts, in BgpCodecContext context)
    {
        const PathAttributeFlags wellKnown = PathAttributeFlags.Transitive;
        const PathAttributeFlags optional = PathAttributeFlags.Optional;
        const PathAttributeFlags optionalTransitive = PathAttributeFlags.Optional | PathAttributeFlags.Transitive;
        var a = parts.Attributes;
        var asnSize = context.FourOctetAs ? 4 : 2;
        Span<byte> value;

        if (a.Origin is { } origin && Begin(wellKnown, PathAttributeType.Origin, 1, out value))
        {
            value[0] = (byte)origin;
        }
        if (a.AsPath is { } asPath && Begin(wellKnown, PathAttributeType.AsPath, AsPathCodec.GetEncodedLength(asPath, asnSize), out value))
        {
            AsPathCodec.Write(value, asPath, asnSize);
        }
        if (a.NextHop is { } nextHop && Begin(wellKnown, PathAttributeType.NextHop, 4, out value))
        {
            nextHop.TryWriteBytes(value, out _);
        }
        if (a.MultiExitDisc is { } med && Begin(optional, PathAttributeType.MultiExitDisc, 4, out value))
        {
            BinaryPrimitives.WriteUInt32BigEndian(value, med);
        }
        if (a.LocalPref is { } localPref && Begin(wellKnown, PathAttributeType.LocalPref, 4, out value))
        {
            BinaryPrimitives.WriteUInt32BigEndian(value, localPref);
        }
        if (a.AtomicAggregate)
        {
            Begin(wellKnown, PathAttributeType.AtomicAggregate, 0, out _);
        }
        if (a.Aggregator is { } aggregator && Begin(optionalTransitive, PathAttributeType.Aggregator, asnSize + 4, out value))
        {
            if (asnSize == 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(value, aggregator.Asn);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(value, aggregator.Asn > ushort.MaxValue ? OpenMessage.AsTrans : (ushort)aggregator.Asn);
            }
            BinaryPrimitives.WriteUInt32BigEndian(value[asnSize..], aggregator.Address);
        }
        if (!a.Communities.IsEmpty && Begin(optionalTransitive, PathAttributeType.Communities, a.Communities.Length * 4, out value))
        {
            WriteUInt32s(value, a.Communities.AsSpan());
        }
        if (a.OriginatorId is { } originatorId && Begin(optional, PathAttributeType.OriginatorId, 4, out value))
        {
            BinaryPrimitives.WriteUInt32BigEndian(value, originatorId);
        }
        if (!a.ClusterList.IsEmpty && Begin(optional, PathAttributeType.ClusterList, a.ClusterList.Length * 4, out value))
        {
            WriteUInt32s(value, a.ClusterList.AsSpan());
        }
        if (parts.ReachNextHop is { } reachNextHop
            && Begin(optional, PathAttributeType.MpReachNlri, MpNlriCodec.GetReachLength(parts.ReachNextHopLength, parts.ReachNlri, parts.ReachPathIds), out value))
        {
            MpNlriCodec.WriteReach(value, parts.ReachFamily, reachNextHop, parts.ReachLinkLocal, parts.ReachNlri, parts.ReachPathIds);
        }
        if (parts.HasUnreach && Begin(optional, PathAttributeType.MpUnreachNlri, MpNlriCodec.GetUnreachLength(parts.UnreachNlri, parts.UnreachPathIds), out value))
        {
            MpNlriCodec.WriteUnreach(value, parts.UnreachFamily, parts.UnreachNlri, parts.UnreachPathIds);
        }
        if (!context.FourOctetAs && a.AsPath is { } fullPath && !fullPath.FitsTwoOctets())
        {
            var length = AsPathCodec.GetEncodedLength(fullPath, 4, withoutConfederation: true);
            if (length > 0 && Begin(optionalTransitive, PathAttributeType.As4Path, length, out value))
            {
                AsPathCodec.Write(value, fullPath, 4, withoutConfederation: true);
            }
        }
        if (!context.FourOctetAs && a.Aggregator is { Asn: > ushort.MaxValue } realAggregator
            && Begin(optionalTransitive, PathAttributeType.As4Aggregator, 8, out value))
        {
            BinaryPrimitives.WriteUInt32BigEndian(value, realAggregator.Asn);
            BinaryPrimitives.WriteUInt32BigEndian(value[4..], realAggregator.Address);
        }
        if (!a.LargeCommunities.IsEmpty && Begin(optionalTransitive, PathAttributeType.LargeCommunities, a.LargeCommunities.Length * 12, out value))
        {
            var at = 0;
            foreach (var community in a.LargeCommunities)
            {
                BinaryPrimitives.WriteUInt32BigEndian(value[at..], community.GlobalAdministrator);
                BinaryPrimitives.WriteUInt32BigEndian(value[(at + 4)..], community.LocalData1);
                BinaryPrimitives.WriteUInt32BigEndian(value[(at + 8)..], community.LocalData2);
                at += 12;
            }
        }
        FlushUnknown(256);
    }

    /// <summary>
    /// Starts an attribute: first any unknown attributes with a lower type code, then the header,
    /// with Extended Length only when the value needs it (RFC 4271 §4.3). Returns false when measuring.
    /// </summary>
    private bool Begin(PathAttributeFlags flags, PathAttributeType type, int valueLength, out Span<byte> value)
    {
        FlushUnknown((byte)type);
        return BeginRaw(flags, (byte)type, valueLength, out value);
    }

    private bool BeginRaw(PathAttributeFlags flags, byte type, int valueLength, out Span<byte> value)
    {
        var extended = valueLength > byte.MaxValue;
        var headerLength = extended ? 4 : 3;
        if (_measuring)
        {
            _length += headerLength + valueLength;
            value = default;
            return false;
        }
        var header = _destination[_length..];
        header[0] = (byte)(extended ? flags | PathAttributeFlags.ExtendedLength : flags & ~PathAttributeFlags.ExtendedLength);
        header[1] = type;
        if (extended)
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], checked((ushort)valueLength));
        }
        else
        {
            header[2] = (byte)valueLength;
        }
        value = header.Slice(headerLength, valueLength);
        _length += headerLength + valueLength;
        return true;
    }

    private void FlushUnknown(int belowType)
    {
        var unknown = _attributes.Unknown;
        while (_nextUnknown < unknown.Length && unknown[_nextUnknown].TypeCode < belowType)
        {
            var raw = unknown[_nextUnknown++];
            if (BeginRaw(raw.Flags, raw.TypeCode, raw.Value.Length, out var value))
            {
                raw.Value.AsSpan().CopyTo(value);
            }
        }
    }

    private static void WriteUInt32s(Span<byte> destination, ReadOnlySpan<uint> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], values[i]);
        }
    }
}
