namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>Hex vectors written the way RFC layouts are read: spaces and line breaks between fields.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>The 16-octet all-ones marker of every message (RFC 4271 §4.1).</summary>
    public const string Marker = "ffffffffffffffffffffffffffffffff";
}
