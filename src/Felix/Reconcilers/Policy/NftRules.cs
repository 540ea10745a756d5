using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The match and action fragments policy rules are made of, each the expressions `nft` generates
/// for the same text (the round-trip test lists them through `nft` as that text).
/// </summary>
public static class NftRules
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Sctp = 132;
    public const byte Icmp = 1;
    public const byte Icmpv6 = 58;

    /// <summary>`iifname NAME` (a trailing * matches a prefix).</summary>
    public static NftExpression[] InputInterface(string name) =>
        [NftExpression.MetaLoad(NftMetaKey.InputInterfaceName), NftExpression.CompareInterfaceName(name)];

    /// <summary>`oifname NAME`.</summary>
    public static NftExpression[] OutputInterface(string name) =>
        [NftExpression.MetaLoad(NftMetaKey.OutputInterfaceName), NftExpression.CompareInterfaceName(name)];

    /// <summary>`meta nfproto ipv4|ipv6`.</summary>
    public static NftExpression[] Family(AddressFamily family) =>
        [NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol), NftExpression.CompareHost(NftCompareOp.Equal, family == AddressFamily.InterNetwork ? 2u : 10u, length: 1)];

    /// <summary>`icmpv6 type N` (nft: nfproto ipv6, l4proto 58, the type byte).</summary>
    public static NftExpression[] Icmpv6Type(byte type) =>
    [
        .. Family(AddressFamily.InterNetworkV6),
        .. Protocol(Icmpv6),
        NftExpression.PayloadLoad(NftPayloadBase.Transport, 0, 1),
        NftExpression.Compare(NftCompareOp.Equal, [type]),
    ];

    /// <summary>`meta l4proto N`.</summary>
    public static NftExpression[] Protocol(byte protocol, bool negate = false) =>
        [NftExpression.MetaLoad(NftMetaKey.Layer4Protocol), NftExpression.Compare(negate ? NftCompareOp.NotEqual : NftCompareOp.Equal, [protocol])];

    /// <summary>The address field of the packet: `ip saddr`/`ip daddr`/`ip6 saddr`/`ip6 daddr` (after <see cref="Family"/>).</summary>
    public static NftExpression LoadAddress(AddressFamily family, bool source, uint register = 1) => family == AddressFamily.InterNetwork
        ? NftExpression.PayloadLoad(NftPayloadBase.Network, source ? 12u : 16u, 4, register)
        : NftExpression.PayloadLoad(NftPayloadBase.Network, source ? 8u : 24u, 16, register);

    /// <summary>`ip|ip6 saddr|daddr [!=] @SET`.</summary>
    public static NftExpression[] AddressIn(AddressFamily family, bool source, string set, bool negate = false) =>
        [.. Family(family), LoadAddress(family, source), NftExpression.Lookup(set, invert: negate)];

    /// <summary>`th dport` loaded into register 1 (after a protocol match that has ports).</summary>
    public static NftExpression LoadDestinationPort() => NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2);

    /// <summary>`th dport N` or `th dport N-M`, negated for notPorts.</summary>
    public static NftExpression[] DestinationPort(ushort first, ushort last, bool negate = false)
    {
        if (first == last)
        {
            return [LoadDestinationPort(), NftExpression.Compare(negate ? NftCompareOp.NotEqual : NftCompareOp.Equal, Port(first))];
        }
        return negate
            ? [LoadDestinationPort(), NftExpression.Range(Port(first), Port(last), negate: true)]
            : [LoadDestinationPort(), NftExpression.Compare(NftCompareOp.GreaterOrEqual, Port(first)), NftExpression.Compare(NftCompareOp.LessOrEqual, Port(last))];
    }

    /// <summary>`ip|ip6 saddr|daddr . meta l4proto . th dport @SET`: a named-port set (pod address . protocol . port).</summary>
    public static NftExpression[] NamedPortIn(AddressFamily family, bool source, string set)
    {
        // A concatenation loads each field into its own 32-bit registers: the address from 9
        // (IPv6 takes four), then the protocol, then the port.
        var protocolRegister = family == AddressFamily.InterNetwork ? 10u : 13u;
        return
        [
            .. Family(family),
            LoadAddress(family, source, register: 9),
            NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: protocolRegister),
            NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2, register: protocolRegister + 1),
            NftExpression.Lookup(set, sourceRegister: 9),
        ];
    }

    /// <summary>`meta mark set meta mark and MASK`: clears bits.</summary>
    public static NftExpression[] ClearMark(uint bits) => MarkUpdate(~bits, 0);

    /// <summary>`meta mark set meta mark or BITS`.</summary>
    public static NftExpression[] SetMark(uint bits) => MarkUpdate(~bits, bits);

    /// <summary>`meta mark and BITS != 0`.</summary>
    public static NftExpression[] MarkHas(uint bits) =>
    [
        NftExpression.MetaLoad(NftMetaKey.Mark),
        NftExpression.Bitwise(Host(bits), [0, 0, 0, 0]),
        NftExpression.CompareHost(NftCompareOp.NotEqual, 0),
    ];

    /// <summary>`meta mark and BITS == 0`.</summary>
    public static NftExpression[] MarkLacks(uint bits) =>
    [
        NftExpression.MetaLoad(NftMetaKey.Mark),
        NftExpression.Bitwise(Host(bits), [0, 0, 0, 0]),
        NftExpression.CompareHost(NftCompareOp.Equal, 0),
    ];

    /// <summary>An interface name as a map key: the name, NUL-padded to IFNAMSIZ.</summary>
    public static byte[] InterfaceKey(string name)
    {
        var key = new byte[16];
        Encoding.ASCII.GetBytes(name).CopyTo(key, 0);
        return key;
    }

    /// <summary>An address as a set key (network order).</summary>
    public static byte[] AddressKey(IPAddress address) => (address ?? throw new ArgumentNullException(nameof(address))).GetAddressBytes();

    public static byte[] Port(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    // nft: [ meta load mark => reg 1 ] [ bitwise reg 1 = ( reg 1 & MASK ) ^ XOR ] [ meta set mark with reg 1 ]
    private static NftExpression[] MarkUpdate(uint mask, uint xor) =>
    [
        NftExpression.MetaLoad(NftMetaKey.Mark),
        NftExpression.Bitwise(Host(mask), Host(xor)),
        NftExpression.MetaSet(NftMetaKey.Mark),
    ];

    private static byte[] Host(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
