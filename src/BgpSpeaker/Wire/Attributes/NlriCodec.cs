using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Prefix lists as in Withdrawn Routes, NLRI and the MP attributes (RFC 4271 §4.3, RFC 4760 §5):
/// each a length octet and just enough address octets. Read in two passes (validate and count,
/// then fill one exact array) so a list costs one allocation. Where ADD-PATH was negotiated for
/// the family and direction, each prefix is preceded by a 4-octet Path Identifier (RFC 7911 §3);
/// the identifiers travel as a span beside the prefixes, empty when there are none.
/// </summary>
internal static class NlriCodec
{
    public const int PathIdLength = 4;

    public static bool TryRead(ReadOnlySpan<byte> source, bool isIPv6, out ImmutableArray<BgpPrefix> prefixes) =>
        TryRead(source, isIPv6, withPathIds: false, out prefixes, out _);

    public static bool TryRead(ReadOnlySpan<byte> source, bool isIPv6, bool withPathIds, out ImmutableArray<BgpPrefix> prefixes, out ImmutableArray<uint> pathIds)
    {
        prefixes = [];
        pathIds = [];
        var count = 0;
        var maxLength = isIPv6 ? 128 : 32;
        var idLength = withPathIds ? PathIdLength : 0;
        for (var at = 0; at < source.Length; count++)
        {
            at += idLength;
            if (at >= source.Length)
            {
                return false;
            }
            int length = source[at];
            if (length > maxLength)
            {
                return false;
            }
            at += 1 + ((length + 7) >> 3);
            if (at > source.Length)
            {
                return false;
            }
        }
        if (count == 0)
        {
            return true;
        }
        var array = new BgpPrefix[count];
        var ids = withPathIds ? new uint[count] : null;
        var offset = 0;
        for (var i = 0; i < array.Length; i++)
        {
            if (ids is not null)
            {
                ids[i] = BinaryPrimitives.ReadUInt32BigEndian(source[offset..]);
                offset += PathIdLength;
            }
            BgpPrefix.TryReadNlri(source[offset..], isIPv6, out array[i], out var read);
            offset += read;
        }
        prefixes = ImmutableCollectionsMarshal.AsImmutableArray(array);
        pathIds = ids is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(ids);
        return true;
    }

    public static int GetEncodedLength(ReadOnlySpan<BgpPrefix> prefixes, ReadOnlySpan<uint> pathIds = default)
    {
        var length = pathIds.IsEmpty ? 0 : PathIdLength * prefixes.Length;
        foreach (var prefix in prefixes)
        {
            length += prefix.EncodedLength;
        }
        return length;
    }

    /// <summary>Writes the prefixes, each after its identifier when <paramref name="pathIds"/> (as long as the prefixes) is not empty.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<BgpPrefix> prefixes, ReadOnlySpan<uint> pathIds = default)
    {
        var at = 0;
        for (var i = 0; i < prefixes.Length; i++)
        {
            if (!pathIds.IsEmpty)
            {
                BinaryPrimitives.WriteUInt32BigEndian(destination[at..], pathIds[i]);
                at += PathIdLength;
            }
            at += prefixes[i].WriteNlri(destination[at..]);
        }
        return at;
    }
}
