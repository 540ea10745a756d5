using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Datastore.Validation;

/// <summary>Strict CIDR parsing for validation: the address must be the network address (no host bits).</summary>
internal static class Cidr
{
    public static IPNetwork ParseNetwork(string field, string? text)
    {
        var (address, prefix) = Split(field, text);
        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw Invalid(field, text, $"host bits are set; the network is {network}");
        }
        return network;
    }

    /// <summary>An address with a prefix length (an interface address such as <c>172.18.0.2/24</c>), or a bare address.</summary>
    public static void ParseInterfaceAddress(string field, string? text)
    {
        if (text is not null && !text.Contains('/', StringComparison.Ordinal) && TryParseAddress(text, out _))
        {
            return;
        }
        Split(field, text);
    }

    public static bool Overlap(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily &&
        (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    public static ResourceValidationException Invalid(string field, string? text, string why) =>
        new($"{field}: \"{text}\" is not a valid CIDR: {why}");

    private static (IPAddress Address, int Prefix) Split(string field, string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            throw Invalid(field, text, "expected ADDRESS/PREFIX");
        }
        if (!TryParseAddress(text.AsSpan(0, slash), out var address))
        {
            throw Invalid(field, text, "bad address");
        }
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
        {
            throw Invalid(field, text, $"prefix length must be 0–{max}");
        }
        return (address, prefix);
    }

    /// <summary>
    /// Only the plain forms: IPAddress.TryParse also takes "10.1" (= 10.0.0.1) and "fe80::1%eth0",
    /// which in a pool or peer are typos, not intent.
    /// </summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var v6 = text.Contains(':');
        if ((!v6 && text.Count('.') != 3) || (v6 && text.Contains('%')) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }
        return new IPAddress(bytes);
    }
}
