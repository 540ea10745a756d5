using System.Buffers.Binary;
using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// AS_PATH and AS4_PATH values (RFC 4271 §4.3, RFC 6793 §3):
/// <code>
/// +-----------------+-----------------+---------------------------------------+
/// | segment type(1) | segment len (1) | ASNs, segment len × 2 or 4 octets     |  repeated
/// +-----------------+-----------------+---------------------------------------+
/// </code>
/// and the RFC 6793 §4.2.3 merge of AS4_PATH into an AS_PATH from an old speaker.
/// </summary>
internal static class AsPathCodec
{
    public enum ReadResult
    {
        Ok,

        /// <summary>Bad segment type, zero-length segment, or a segment overrunning the attribute (RFC 7606 §7.2).</summary>
        Malformed,

        /// <summary>AS 0 somewhere in the path (RFC 7607 §2).</summary>
        ZeroAsn,
    }

    public static ReadResult TryRead(ReadOnlySpan<byte> value, int asnSize, out AsPath path)
    {
        path = AsPath.Empty;
        if (value.IsEmpty)
        {
            return ReadResult.Ok;
        }
        var count = 0;
        for (var at = 0; at < value.Length; count++)
        {
            if (value.Length - at < 2 || value[at] is < (byte)AsPathSegmentType.AsSet or > (byte)AsPathSegmentType.AsConfedSet || value[at + 1] == 0)
            {
                return ReadResult.Malformed;
            }
            at += 2 + (value[at + 1] * asnSize);
            if (at > value.Length)
            {
                return ReadResult.Malformed;
            }
        }
        var segments = ImmutableArray.CreateBuilder<AsPathSegment>(count);
        var zero = false;
        for (var at = 0; at < value.Length;)
        {
            var asns = new uint[value[at + 1]];
            var data = value[(at + 2)..];
            for (var i = 0; i < asns.Length; i++)
            {
                asns[i] = asnSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(data[(i * 4)..]) : BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
                zero |= asns[i] == 0;
            }
            segments.Add(new AsPathSegment((AsPathSegmentType)value[at], System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(asns)));
            at += 2 + (asns.Length * asnSize);
        }
        path = new AsPath(segments.MoveToImmutable());
        return zero ? ReadResult.ZeroAsn : ReadResult.Ok;
    }

    /// <summary>Octets of the value with <paramref name="asnSize"/>-octet ASNs; confederation segments left out when <paramref name="withoutConfederation"/> (AS4_PATH, RFC 6793 §6).</summary>
    public static int GetEncodedLength(AsPath path, int asnSize, bool withoutConfederation = false)
    {
        var length = 0;
        foreach (var segment in path.Segments)
        {
            if (!(withoutConfederation && segment.IsConfederation))
            {
                length += 2 + (segment.Asns.Length * asnSize);
            }
        }
        return length;
    }

    /// <summary>Writes the value; with 2-octet ASNs each ASN above 65535 becomes AS_TRANS (RFC 6793 §4.2.2).</summary>
    public static void Write(Span<byte> destination, AsPath path, int asnSize, bool withoutConfederation = false)
    {
        var at = 0;
        foreach (var segment in path.Segments)
        {
            if (withoutConfederation && segment.IsConfederation)
            {
                continue;
            }
            destination[at] = (byte)segment.Type;
            destination[at + 1] = (byte)segment.Asns.Length;
            at += 2;
            foreach (var asn in segment.Asns)
            {
                if (asnSize == 4)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(destination[at..], asn);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16BigEndian(destination[at..], asn > ushort.MaxValue ? OpenMessage.AsTrans : (ushort)asn);
                }
                at += asnSize;
            }
        }
    }

    /// <summary>
    /// RFC 6793 §4.2.3: when AS_PATH counts fewer ASNs than AS4_PATH, AS4_PATH is ignored; otherwise the
    /// leading ASNs that AS_PATH has beyond AS4_PATH's count are put in front of AS4_PATH. Counting
    /// follows RFC 4271 §9.1.2.2 (a set counts one, confederation segments none).
    /// </summary>
    public static AsPath Merge(AsPath asPath, AsPath as4Path)
    {
        var need = asPath.PathLength - as4Path.PathLength;
        if (need < 0)
        {
            return asPath;
        }
        var merged = ImmutableArray.CreateBuilder<AsPathSegment>();
        foreach (var segment in asPath.Segments)
        {
            if (segment.IsConfederation)
            {
                merged.Add(segment);
                continue;
            }
            if (need == 0)
            {
                break;
            }
            if (segment.Type == AsPathSegmentType.AsSet)
            {
                merged.Add(segment);
                need--;
                continue;
            }
            var take = Math.Min(need, segment.Asns.Length);
            merged.Add(segment with { Asns = segment.Asns[..take] });
            need -= take;
        }
        var atJunction = true;
        foreach (var segment in as4Path.Segments)
        {
            // Join the cut AS_SEQUENCE and AS4_PATH's leading one: the sender's path had them as one segment.
            if (atJunction && merged.Count > 0 && merged[^1].Type == AsPathSegmentType.AsSequence && segment.Type == AsPathSegmentType.AsSequence
                && merged[^1].Asns.Length + segment.Asns.Length <= AsPathSegment.MaxAsns)
            {
                merged[^1] = merged[^1] with { Asns = merged[^1].Asns.AddRange(segment.Asns) };
            }
            else
            {
                merged.Add(segment);
            }
            atJunction = false;
        }
        return new AsPath(merged.ToImmutable());
    }

    /// <summary>AS4_PATH must not carry confederation segments; RFC 6793 §6 says to drop them and go on.</summary>
    public static AsPath WithoutConfederation(AsPath path) =>
        path.Segments.Any(s => s.IsConfederation) ? new AsPath([.. path.Segments.Where(s => !s.IsConfederation)]) : path;
}
