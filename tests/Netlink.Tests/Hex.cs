namespace RoutedNet.Netlink.Tests;

/// <summary>Hex strings with spaces for readable expected bytes ("2c000000 1800 ...").</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
