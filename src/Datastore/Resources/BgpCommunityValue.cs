using System.Globalization;

namespace RoutedNet.Datastore.Resources;

/// <summary>Reads a community as BGPConfiguration writes it: "AS:N" (standard, RFC 1997) or "AS:N:M" (large, RFC 8092).</summary>
public static class BgpCommunityValue
{
    /// <summary>
    /// True for a valid value; <paramref name="standard"/> holds a standard community as its 32-bit
    /// value (AS in the high 16 bits), <paramref name="large"/> the three parts of a large one.
    /// </summary>
    public static bool TryParse(string? text, out uint? standard, out (uint Global, uint Local1, uint Local2)? large)
    {
        standard = null;
        large = null;
        var parts = (text ?? "").Split(':');
        if (parts.Length == 2 && Part(parts[0], ushort.MaxValue, out var asn) && Part(parts[1], ushort.MaxValue, out var value))
        {
            standard = (asn << 16) | value;
            return true;
        }
        if (parts.Length == 3 && Part(parts[0], uint.MaxValue, out var global) && Part(parts[1], uint.MaxValue, out var local1) && Part(parts[2], uint.MaxValue, out var local2))
        {
            large = (global, local1, local2);
            return true;
        }
        return false;
    }

    private static bool Part(string text, uint max, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
}
