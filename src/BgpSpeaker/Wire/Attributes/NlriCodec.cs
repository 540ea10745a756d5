using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Prefix lists as in Withdrawn Routes, NLRI and the MP attributes (RFC 4271 §4.3, RFC 4760 §5):
/// each a length octet and just enough address octets. Read in two passes (validate and count,
/// then fill one exact array) so a list costs one allocation.
/// </summary>
internal static class NlriCodec
{
    public static bool TryRead(ReadOnlySpan<byte> source, bool isIPv6, out ImmutableArray<BgpPrefix> prefixes)
    {
        prefixes = [];
        var count = 0;
        var maxLength = isIPv6 ? 128 : 32;
        for (var at = 0; at < source.Length; count++)
        {
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
        var offset = 0;
        for (var i = 0; i < array.Length; i++)
        {
            BgpPrefix.TryReadNlri(source[offset..], isIPv6, out array[i], out var read);
            offset += read;
        }
        prefixes = ImmutableCollectionsMarshal.AsImmutableArray(array);
        return true;
    }

    public static int GetEncodedLength(ReadOnlySpan<BgpPrefix> prefixes)
    {
        var length = 0;
        foreach (var prefix in prefixes)
        {
            length += prefix.EncodedLength;
        }
        return length;
    }

    public static int Write(Span<byte> destination, ReadOnlySpan<BgpPrefix> prefixes)
    {
        var at = 0;
        foreach (var prefix in prefixes)
        {
            at += prefix.WriteNlri(destination[at..]);
        }
        return at;
    }
}
