using System.Globalization;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>IP protocol names as Calico and Kubernetes spell them, and their IANA numbers.</summary>
public static class Protocols
{
    public const int Icmp = 1;
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int IcmpV6 = 58;
    public const int Sctp = 132;
    public const int UdpLite = 136;

    /// <summary>Whether the protocol has ports (rules with ports need one of these).</summary>
    public static bool HasPorts(int protocol) => protocol is Tcp or Udp or Sctp or UdpLite;

    /// <summary>TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite (any case) or a number 1–255; false for anything else.</summary>
    public static bool TryParse(string? text, out int protocol)
    {
        protocol = (text ?? "").ToUpperInvariant() switch
        {
            "TCP" => Tcp,
            "UDP" => Udp,
            "SCTP" => Sctp,
            "ICMP" => Icmp,
            "ICMPV6" => IcmpV6,
            "UDPLITE" => UdpLite,
            var other when int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 255 => n,
            _ => 0,
        };
        return protocol != 0;
    }

    public static bool TryParse(IntOrString? value, out int protocol)
    {
        protocol = 0;
        if (value is null)
        {
            return false;
        }
        if (value.IntValue is { } number)
        {
            protocol = number is >= 1 and <= 255 ? number : 0;
            return protocol != 0;
        }
        return TryParse(value.StringValue, out protocol);
    }

    /// <summary>The name Calico prints (TCP, UDP, ...) or the number.</summary>
    public static string Name(int protocol) => protocol switch
    {
        Tcp => "TCP",
        Udp => "UDP",
        Sctp => "SCTP",
        Icmp => "ICMP",
        IcmpV6 => "ICMPv6",
        UdpLite => "UDPLite",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };
}
