using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Policy;

/// <summary>
/// CIDRs as policies write them: "10.0.0.0/8", a bare address (a /32 or /128), or an address with
/// host bits set ("10.1.2.3/8", which Go's net.ParseCIDR and so Kubernetes and Calico take as its
/// network). <see cref="IPNetwork.Parse(string)"/> refuses the last, so the bits are masked here.
/// </summary>
public static class Nets
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - keep));
        }
        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }

    public static IPNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"\"{text}\" is not a CIDR or an address");
}
