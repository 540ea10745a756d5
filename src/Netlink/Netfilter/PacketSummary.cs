using System.Buffers.Binary;
using System.Net;

namespace RoutedNet.Netlink.Netfilter;

/// <summary>
/// The 5-tuple of a logged or traced packet, read from its IPv4/IPv6 header and the first bytes
/// of its transport header (RFC 791, RFC 8200, RFC 793/768/9260 port layout; ICMP type and code).
/// Extension headers of IPv6 are not walked: their next header is reported as the protocol.
/// </summary>
public sealed record PacketSummary(IPAddress Source, IPAddress Destination, byte Protocol, ushort? SourcePort, ushort? DestinationPort, byte? IcmpType, byte? IcmpCode)
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte IcmpV6 = 58;
    public const byte Sctp = 132;

    /// <summary>A whole packet from its network header on (NFULA_PAYLOAD); null when it is not IPv4/IPv6 or too short.</summary>
    public static PacketSummary? FromPacket(ReadOnlySpan<byte> packet) =>
        NetworkHeaderLength(packet) is { } length && packet.Length >= length ? FromHeaders(packet[..length], packet[length..]) : null;

    /// <summary>The network header and transport header given apart (an nf_tables trace event carries them so).</summary>
    public static PacketSummary? FromHeaders(ReadOnlySpan<byte> network, ReadOnlySpan<byte> transport)
    {
        if (network.Length < 20)
        {
            return null;
        }
        IPAddress source, destination;
        byte protocol;
        switch (network[0] >> 4)
        {
            case 4:
                protocol = network[9];
                source = new IPAddress(network.Slice(12, 4));
                destination = new IPAddress(network.Slice(16, 4));
                break;
            case 6 when network.Length >= 40:
                protocol = network[6];
                source = new IPAddress(network.Slice(8, 16));
                destination = new IPAddress(network.Slice(24, 16));
                break;
            default:
                return null;
        }
        return protocol switch
        {
            Tcp or Udp or Sctp when transport.Length >= 4 => new(source, destination, protocol,
                BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]), null, null),
            Icmp or IcmpV6 when transport.Length >= 2 => new(source, destination, protocol, null, null, transport[0], transport[1]),
            _ => new(source, destination, protocol, null, null, null, null),
        };
    }

    /// <summary>"10.0.0.1:3345 -> 10.0.0.2:80 tcp", "10.0.0.1 -> 10.0.0.2 icmp type 8".</summary>
    public override string ToString()
    {
        var name = ProtocolName(Protocol);
        return SourcePort is { } sp && DestinationPort is { } dp
            ? $"{Endpoint(Source, sp)} -> {Endpoint(Destination, dp)} {name}"
            : IcmpType is { } type ? $"{Source} -> {Destination} {name} type {type} code {IcmpCode}" : $"{Source} -> {Destination} {name}";
    }

    public static string ProtocolName(byte protocol) => protocol switch
    {
        Icmp => "icmp",
        Tcp => "tcp",
        Udp => "udp",
        IcmpV6 => "icmpv6",
        Sctp => "sctp",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Endpoint(IPAddress address, ushort port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static int? NetworkHeaderLength(ReadOnlySpan<byte> packet) =>
        packet.IsEmpty ? null : (packet[0] >> 4) switch
        {
            4 => (packet[0] & 0x0f) * 4,
            6 => 40,
            _ => null,
        };
}
