using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE bodies.
/// <code>
/// struct rtmsg { u8 rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type; u32 rtm_flags; }
/// then RTA_DST, RTA_TABLE (ids ≥ 256), RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_PREFSRC, RTA_MULTIPATH
/// RTA_MULTIPATH = sequence of struct rtnexthop { u16 rtnh_len; u8 rtnh_flags; u8 rtnh_hops; s32 rtnh_ifindex; } + RTA_GATEWAY
/// </code>
/// The layout follows iproute2's `ip route`, so a request is byte-for-byte what `ip` would send.
/// </summary>
internal static class RouteCodec
{
    /// <summary>An upper bound of the encoded size, for packing batches.</summary>
    public static int MaxLength(Route route) =>
        NetlinkProtocol.NlMsgHdrSize + Rtnetlink.RtMsgSize + (6 * 20) + (route.Nexthops.Count * (Rtnetlink.RtNextHopSize + 20)) + 4;

    /// <summary>
    /// Rejects what the kernel could only refuse or misread: nexthop weights outside 1..256, and
    /// gateways of the other family (an IPv6 nexthop for an IPv4 prefix needs RTA_VIA, which we do not send).
    /// </summary>
    public static void Check(Route route)
    {
        var family = route.Destination.BaseAddress.AddressFamily;
        if (route.Gateway is { } gateway && gateway.AddressFamily != family)
        {
            throw new ArgumentException($"gateway {gateway} is not of the family of {route.Destination}", nameof(route));
        }
        foreach (var nexthop in route.Nexthops)
        {
            if (nexthop.Weight is < 1 or > 256)
            {
                throw new ArgumentOutOfRangeException(nameof(route), nexthop.Weight, "nexthop weight must be 1..256");
            }
            if (nexthop.Gateway is { } hop && hop.AddressFamily != family)
            {
                throw new ArgumentException($"nexthop {hop} is not of the family of {route.Destination}", nameof(route));
            }
        }
    }

    /// <summary>
    /// Writes one change; without NLM_F_ACK in <paramref name="ackFlag"/> the kernel still answers a
    /// failure with an NLMSG_ERROR, but says nothing on success. Returns where its message begins.
    /// </summary>
    public static int Write(ref NetlinkWriter writer, ChangeKind change, Route route, uint sequence, ushort ackFlag = NetlinkProtocol.NLM_F_ACK)
    {
        Check(route);
        var (type, flags) = change switch
        {
            ChangeKind.Add => (Rtnetlink.RTM_NEWROUTE, NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL),
            ChangeKind.Replace => (Rtnetlink.RTM_NEWROUTE, NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_REPLACE),
            ChangeKind.Delete => (Rtnetlink.RTM_DELROUTE, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var destination = route.Destination;
        var start = writer.BeginMessage(type, (ushort)(NetlinkProtocol.NLM_F_REQUEST | ackFlag | flags), sequence);
        var rtm = writer.Reserve(Rtnetlink.RtMsgSize);
        rtm[0] = Families.ToNative(destination.BaseAddress.AddressFamily);
        rtm[1] = (byte)destination.PrefixLength;
        rtm[4] = route.Table < 256 ? (byte)route.Table : Rtnetlink.RT_TABLE_UNSPEC;
        rtm[5] = (byte)route.Protocol;
        // A delete without an explicit scope matches any scope (RT_SCOPE_NOWHERE), as `ip route del` does.
        rtm[6] = (byte)(change == ChangeKind.Delete && route.Scope is null ? RouteScope.Nowhere : route.EffectiveScope);
        rtm[7] = (byte)route.Type;
        BinaryPrimitives.WriteUInt32LittleEndian(rtm[8..], route.OnLink ? Rtnetlink.RTNH_F_ONLINK : 0u);

        if (destination.PrefixLength > 0)
        {
            writer.WriteAddress(Rtnetlink.RTA_DST, destination.BaseAddress);
        }
        if (route.Table >= 256)
        {
            writer.WriteUInt32(Rtnetlink.RTA_TABLE, route.Table);
        }
        if (route.Gateway is not null)
        {
            writer.WriteAddress(Rtnetlink.RTA_GATEWAY, route.Gateway);
        }
        if (route.LinkIndex > 0)
        {
            writer.WriteInt32(Rtnetlink.RTA_OIF, route.LinkIndex);
        }
        if (route.Metric is { } metric)
        {
            writer.WriteUInt32(Rtnetlink.RTA_PRIORITY, metric);
        }
        if (route.PreferredSource is not null)
        {
            writer.WriteAddress(Rtnetlink.RTA_PREFSRC, route.PreferredSource);
        }
        if (route.Nexthops.Count > 0)
        {
            WriteMultipath(ref writer, route.Nexthops);
        }
        writer.EndMessage(start);
        return start;
    }

    /// <summary>A dump request; with NETLINK_GET_STRICT_CHK the kernel filters by family, table, protocol, type and RTA_OIF.</summary>
    public static void WriteDump(ref NetlinkWriter writer, RouteFilter filter)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETROUTE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        var rtm = writer.Reserve(Rtnetlink.RtMsgSize);
        rtm[0] = Families.ToNative(filter.Family ?? filter.Destination?.BaseAddress.AddressFamily);
        rtm[4] = filter.Table is { } table && table < 256 ? (byte)table : Rtnetlink.RT_TABLE_UNSPEC;
        rtm[5] = (byte)(filter.Protocol ?? RouteProtocol.Unspecified);
        rtm[7] = (byte)(filter.Type ?? RouteType.Unspecified);
        if (filter.Table is >= 256)
        {
            writer.WriteUInt32(Rtnetlink.RTA_TABLE, filter.Table.Value);
        }
        if (filter.LinkIndex is { } link)
        {
            writer.WriteInt32(Rtnetlink.RTA_OIF, link);
        }
        writer.EndMessage(start);
    }

    /// <summary>
    /// A lookup that answers with the matching FIB entry rather than the resolved path
    /// (RTM_F_FIB_MATCH); strict checking wants a full-length RTA_DST and nothing in the table,
    /// protocol, scope and type fields.
    /// </summary>
    public static void WriteMatch(ref NetlinkWriter writer, IPAddress destination)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_GETROUTE, NetlinkProtocol.NLM_F_REQUEST, 0);
        var rtm = writer.Reserve(Rtnetlink.RtMsgSize);
        rtm[0] = Families.ToNative(destination.AddressFamily);
        rtm[1] = (byte)(destination.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
        BinaryPrimitives.WriteUInt32LittleEndian(rtm[8..], Rtnetlink.RTM_F_FIB_MATCH);
        writer.WriteAddress(Rtnetlink.RTA_DST, destination);
        writer.EndMessage(start);
    }

    /// <summary>Decodes an RTM_NEWROUTE; null for cache clones and families other than IPv4/IPv6.</summary>
    public static Route? Read(ReadOnlySpan<byte> payload) =>
        RouteMessage.TryRead(payload, out var route) ? route.ToRoute() : null;

    private static void WriteMultipath(ref NetlinkWriter writer, IReadOnlyList<Nexthop> nexthops)
    {
        var multipath = writer.BeginNested(Rtnetlink.RTA_MULTIPATH);
        foreach (var nexthop in nexthops)
        {
            // rtnh_len sits where an attribute's length does, so the nested-attribute back-patch fits it.
            var rtnh = writer.Length;
            var header = writer.Reserve(Rtnetlink.RtNextHopSize);
            header[2] = nexthop.OnLink ? Rtnetlink.RTNH_F_ONLINK : (byte)0;
            header[3] = (byte)(nexthop.Weight - 1);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], nexthop.LinkIndex);
            if (nexthop.Gateway is not null)
            {
                writer.WriteAddress(Rtnetlink.RTA_GATEWAY, nexthop.Gateway);
            }
            writer.EndNested(rtnh);
        }
        writer.EndNested(multipath);
    }
}
