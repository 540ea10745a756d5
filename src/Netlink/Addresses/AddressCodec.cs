using System.Buffers.Binary;
using System.Net;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR bodies.
/// <code>
/// struct ifaddrmsg { u8 ifa_family; u8 ifa_prefixlen; u8 ifa_flags; u8 ifa_scope; u32 ifa_index; }
/// then IFA_LOCAL and IFA_ADDRESS (both the address, as `ip addr add` sends them), IFA_LABEL, IFA_FLAGS (u32, all flags)
/// </code>
/// </summary>
internal static class AddressCodec
{
    public static void Write(ref NetlinkWriter writer, bool add, Address address)
    {
        ushort flags = NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK;
        if (add)
        {
            flags |= NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL;
        }
        var maxPrefix = address.Ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (address.PrefixLength < 0 || address.PrefixLength > maxPrefix)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address.PrefixLength, $"prefix length must be 0..{maxPrefix}");
        }
        var start = writer.BeginMessage(add ? Rtnetlink.RTM_NEWADDR : Rtnetlink.RTM_DELADDR, flags, 0);
        var ifa = writer.Reserve(Rtnetlink.IfAddrMsgSize);
        ifa[0] = Families.ToNative(address.Ip.AddressFamily);
        ifa[1] = (byte)address.PrefixLength;
        ifa[2] = (byte)((uint)address.Flags & 0xff);
        ifa[3] = (byte)address.Scope;
        BinaryPrimitives.WriteInt32LittleEndian(ifa[4..], address.LinkIndex);
        writer.WriteAddress(IfAddr.IFA_LOCAL, address.Ip);
        writer.WriteAddress(IfAddr.IFA_ADDRESS, address.Ip);
        if (address.Label is not null)
        {
            writer.WriteString(IfAddr.IFA_LABEL, address.Label);
        }
        if (add && address.Flags != AddressFlags.None)
        {
            // ifa_flags has 8 bits; flags from 0x100 up (noprefixroute, ...) only travel in IFA_FLAGS.
            writer.WriteUInt32(IfAddr.IFA_FLAGS, (uint)address.Flags);
        }
        writer.EndMessage(start);
    }

    /// <summary>A dump request; with strict checking the kernel filters by family and ifa_index.</summary>
    public static void WriteDump(ref NetlinkWriter writer, AddressFilter filter)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETADDR, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        var ifa = writer.Reserve(Rtnetlink.IfAddrMsgSize);
        ifa[0] = Families.ToNative(filter.Family);
        BinaryPrimitives.WriteInt32LittleEndian(ifa[4..], filter.LinkIndex ?? 0);
        writer.EndMessage(start);
    }

    public static Address? Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Rtnetlink.IfAddrMsgSize)
        {
            throw new InvalidDataException($"ifaddrmsg of {payload.Length} bytes");
        }
        if (Families.FromNative(payload[0]) is null)
        {
            return null;
        }
        IPAddress? local = null;
        IPAddress? address = null;
        string? label = null;
        uint flags = payload[2];
        foreach (var attribute in new AttributeReader(payload[Rtnetlink.IfAddrMsgSize..]))
        {
            switch (attribute.Type)
            {
                case IfAddr.IFA_LOCAL: local = attribute.AsAddress(); break;
                case IfAddr.IFA_ADDRESS: address = attribute.AsAddress(); break;
                case IfAddr.IFA_LABEL: label = attribute.AsString(); break;
                case IfAddr.IFA_FLAGS: flags = attribute.AsUInt32(); break;
            }
        }
        // On point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL ours; IPv6 sends only IFA_ADDRESS.
        var ip = local ?? address;
        if (ip is null)
        {
            return null;
        }
        return new Address
        {
            LinkIndex = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]),
            Ip = ip,
            PrefixLength = payload[1],
            Flags = (AddressFlags)flags,
            Scope = (RouteScope)payload[3],
            Label = label,
        };
    }
}
