using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH bodies.
/// <code>
/// struct ndmsg { u8 ndm_family; u8 pad1; u16 pad2; s32 ndm_ifindex; u16 ndm_state; u8 ndm_flags; u8 ndm_type; }
/// then NDA_DST and NDA_LLADDR
/// </code>
/// </summary>
internal static class NeighbourCodec
{
    public static void Write(ref NetlinkWriter writer, ChangeKind change, Neighbour neighbour)
    {
        var (type, flags) = change switch
        {
            ChangeKind.Add => (Rtnetlink.RTM_NEWNEIGH, NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL),
            ChangeKind.Replace => (Rtnetlink.RTM_NEWNEIGH, NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_REPLACE),
            ChangeKind.Delete => (Rtnetlink.RTM_DELNEIGH, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var start = writer.BeginMessage(type, (ushort)(NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK | flags), 0);
        var ndm = writer.Reserve(Rtnetlink.NdMsgSize);
        ndm[0] = Families.ToNative(neighbour.Ip.AddressFamily);
        BinaryPrimitives.WriteInt32LittleEndian(ndm[4..], neighbour.LinkIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(ndm[8..], (ushort)neighbour.State);
        ndm[10] = (byte)neighbour.Flags;
        writer.WriteAddress(NeighbourH.NDA_DST, neighbour.Ip);
        if (neighbour.LinkAddress is not null)
        {
            writer.WriteAttribute(NeighbourH.NDA_LLADDR, neighbour.LinkAddress.GetAddressBytes());
        }
        writer.EndMessage(start);
    }

    /// <summary>A dump request; ndm_flags NTF_PROXY selects the proxy table.</summary>
    public static void WriteDump(ref NetlinkWriter writer, NeighbourFilter filter)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETNEIGH, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        var ndm = writer.Reserve(Rtnetlink.NdMsgSize);
        ndm[0] = Families.ToNative(filter.Family);
        ndm[10] = filter.Proxy ? NeighbourH.NTF_PROXY : (byte)0;
        if (filter.LinkIndex is { } link)
        {
            writer.WriteInt32(NeighbourH.NDA_IFINDEX, link);
        }
        writer.EndMessage(start);
    }

    public static Neighbour? Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Rtnetlink.NdMsgSize)
        {
            throw new InvalidDataException($"ndmsg of {payload.Length} bytes");
        }
        if (Families.FromNative(payload[0]) is null)
        {
            return null;
        }
        IPAddress? ip = null;
        PhysicalAddress? lladdr = null;
        foreach (var attribute in new AttributeReader(payload[Rtnetlink.NdMsgSize..]))
        {
            switch (attribute.Type)
            {
                case NeighbourH.NDA_DST: ip = attribute.AsAddress(); break;
                case NeighbourH.NDA_LLADDR: lladdr = new PhysicalAddress(attribute.Value.ToArray()); break;
            }
        }
        if (ip is null)
        {
            return null;
        }
        return new Neighbour
        {
            LinkIndex = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]),
            Ip = ip,
            LinkAddress = lladdr,
            State = (NeighbourState)BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]),
            Flags = (NeighbourFlags)payload[10],
        };
    }
}
