using System.Buffers.Binary;
using System.Net.NetworkInformation;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK bodies.
/// <code>
/// struct ifinfomsg { u8 ifi_family; u8 pad; u16 ifi_type; s32 ifi_index; u32 ifi_flags; u32 ifi_change; }
/// veth: IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, IFLA_IFNAME, IFLA_NET_NS_FD, ... } } }
/// </code>
/// </summary>
internal static class LinkCodec
{
    public const ushort CreateFlags = NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK | NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL;
    public const ushort ChangeFlags = NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK;

    /// <summary>`ip link add NAME type veth peer name PEER [netns FD]`; <paramref name="peerNamespaceFd"/> is -1 to keep the peer here.</summary>
    public static void WriteVeth(ref NetlinkWriter writer, VethPair pair, int peerNamespaceFd)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_NEWLINK, CreateFlags, 0);
        writer.Reserve(Rtnetlink.IfInfoMsgSize);
        WriteLinkAttributes(ref writer, pair.Name, pair.Mtu, pair.Address);
        var linkInfo = writer.BeginNested(IfLink.IFLA_LINKINFO);
        writer.WriteString(IfLink.IFLA_INFO_KIND, "veth");
        var data = writer.BeginNested(IfLink.IFLA_INFO_DATA);
        var peer = writer.BeginNested(IfLink.VETH_INFO_PEER);
        writer.Reserve(Rtnetlink.IfInfoMsgSize);
        WriteLinkAttributes(ref writer, pair.PeerName, pair.Mtu, pair.PeerAddress);
        if (peerNamespaceFd >= 0)
        {
            writer.WriteInt32(IfLink.IFLA_NET_NS_FD, peerNamespaceFd);
        }
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage(start);
    }

    /// <summary>
    /// `ip link set dev INDEX ...`: an RTM_NEWLINK without NLM_F_CREATE changes only what it carries.
    /// Set <paramref name="flags"/>/<paramref name="change"/> for up/down; name, MTU, address and namespace fd are optional.
    /// </summary>
    public static void WriteSet(
        ref NetlinkWriter writer,
        int index,
        uint flags = 0,
        uint change = 0,
        string? name = null,
        int mtu = 0,
        PhysicalAddress? address = null,
        int namespaceFd = -1,
        uint? group = null)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_NEWLINK, ChangeFlags, 0);
        WriteHeader(writer.Reserve(Rtnetlink.IfInfoMsgSize), index, flags, change);
        WriteLinkAttributes(ref writer, name, mtu, address);
        if (namespaceFd >= 0)
        {
            writer.WriteInt32(IfLink.IFLA_NET_NS_FD, namespaceFd);
        }
        if (group is { } g)
        {
            writer.WriteUInt32(IfLink.IFLA_GROUP, g);
        }
        writer.EndMessage(start);
    }

    public static void WriteDelete(ref NetlinkWriter writer, int index)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_DELLINK, ChangeFlags, 0);
        WriteHeader(writer.Reserve(Rtnetlink.IfInfoMsgSize), index, 0, 0);
        writer.EndMessage(start);
    }

    /// <summary>`ip link del group N`: index 0 and IFLA_GROUP; the kernel unregisters every link of the group at once.</summary>
    public static void WriteDeleteGroup(ref NetlinkWriter writer, uint group)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_DELLINK, ChangeFlags, 0);
        WriteHeader(writer.Reserve(Rtnetlink.IfInfoMsgSize), 0, 0, 0);
        writer.WriteUInt32(IfLink.IFLA_GROUP, group);
        writer.EndMessage(start);
    }

    /// <summary>RTM_GETLINK for one link, by index (name null) or by IFLA_IFNAME (index 0).</summary>
    public static void WriteGet(ref NetlinkWriter writer, int index, string? name)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETLINK, NetlinkProtocol.NLM_F_REQUEST, 0);
        WriteHeader(writer.Reserve(Rtnetlink.IfInfoMsgSize), index, 0, 0);
        if (name is not null)
        {
            writer.WriteString(IfLink.IFLA_IFNAME, name);
        }
        writer.EndMessage(start);
    }

    /// <summary>
    /// A dump request; with NETLINK_GET_STRICT_CHK the kernel filters by IFLA_MASTER and by the kind
    /// in IFLA_LINKINFO (a kind whose driver is not loaded filters nothing, hence the check on reading too).
    /// </summary>
    public static void WriteDump(ref NetlinkWriter writer, LinkFilter filter)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.Reserve(Rtnetlink.IfInfoMsgSize);
        if (filter.MasterIndex is { } master)
        {
            writer.WriteInt32(IfLink.IFLA_MASTER, master);
        }
        if (filter.Kind is { } kind)
        {
            var info = writer.BeginNested(IfLink.IFLA_LINKINFO);
            writer.WriteString(IfLink.IFLA_INFO_KIND, kind);
            writer.EndNested(info);
        }
        writer.EndMessage(start);
    }

    public static Link Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Rtnetlink.IfInfoMsgSize)
        {
            throw new InvalidDataException($"ifinfomsg of {payload.Length} bytes");
        }
        string? name = null;
        PhysicalAddress? address = null;
        string? kind = null;
        int mtu = 0, parent = 0, master = 0;
        uint group = 0;
        int? peerNamespace = null;
        var operState = OperationalState.Unknown;
        foreach (var attribute in new AttributeReader(payload[Rtnetlink.IfInfoMsgSize..]))
        {
            switch (attribute.Type)
            {
                case IfLink.IFLA_IFNAME: name = attribute.AsString(); break;
                case IfLink.IFLA_ADDRESS: address = new PhysicalAddress(attribute.Value.ToArray()); break;
                case IfLink.IFLA_MTU: mtu = attribute.AsInt32(); break;
                case IfLink.IFLA_LINK: parent = attribute.AsInt32(); break;
                case IfLink.IFLA_MASTER: master = attribute.AsInt32(); break;
                case IfLink.IFLA_GROUP: group = attribute.AsUInt32(); break;
                case IfLink.IFLA_LINK_NETNSID: peerNamespace = attribute.AsInt32(); break;
                case IfLink.IFLA_OPERSTATE: operState = (OperationalState)attribute.AsUInt8(); break;
                case IfLink.IFLA_LINKINFO: kind = ReadKind(attribute.Nested()); break;
            }
        }
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        return new Link
        {
            Index = index,
            Name = name ?? throw new InvalidDataException($"link {index} without IFLA_IFNAME"),
            Address = address,
            Mtu = mtu,
            Flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]),
            Kind = kind,
            ParentIndex = parent,
            PeerNamespaceId = peerNamespace,
            MasterIndex = master,
            Group = group,
            OperationalState = operState,
        };
    }

    private static string? ReadKind(AttributeReader linkInfo)
    {
        foreach (var attribute in linkInfo)
        {
            if (attribute.Type == IfLink.IFLA_INFO_KIND)
            {
                return attribute.AsString();
            }
        }
        return null;
    }

    private static void WriteHeader(Span<byte> ifinfomsg, int index, uint flags, uint change)
    {
        BinaryPrimitives.WriteInt32LittleEndian(ifinfomsg[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(ifinfomsg[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(ifinfomsg[12..], change);
    }

    private static void WriteLinkAttributes(ref NetlinkWriter writer, string? name, int mtu, PhysicalAddress? address)
    {
        if (name is not null)
        {
            LinkNames.Check(name);
            writer.WriteString(IfLink.IFLA_IFNAME, name);
        }
        if (mtu > 0)
        {
            writer.WriteInt32(IfLink.IFLA_MTU, mtu);
        }
        if (address is not null)
        {
            writer.WriteAttribute(IfLink.IFLA_ADDRESS, address.GetAddressBytes());
        }
    }
}
