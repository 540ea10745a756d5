using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// An interface address with its prefix as CNI writes it ("10.244.1.5/24"). Not
/// <see cref="IPNetwork"/>: that type rejects host bits, which is exactly what an address has.
/// </summary>
internal readonly record struct IpCidr(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The full-length prefix of the address (/32 or /128), as the pod and the host route hold it.</summary>
    public IpCidr Host => new(Address, IsIPv6 ? 128 : 32);

    public IPNetwork HostNetwork => new(Address, Host.PrefixLength);

    public static bool TryParse(string? text, [NotNullWhen(true)] out IpCidr? cidr)
    {
        cidr = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            return false;
        }
        cidr = new IpCidr(address, prefix);
        return true;
    }

    public static IpCidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr.Value : throw new FormatException($"'{text}' is not an address in CIDR form");

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
