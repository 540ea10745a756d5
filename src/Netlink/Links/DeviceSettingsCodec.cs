using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// Per-interface settings as rtnetlink messages instead of /proc/sys writes (one datagram instead
/// of an open/write/close per key).
/// <code>
/// RTM_NEWLINK    ifinfomsg{index} IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { [IPV4_DEVCONF_x] u32 ... } } }
/// RTM_SETNEIGHTBL ndtmsg{family} NDTA_NAME "arp_cache" NDTA_PARMS { NDTPA_IFINDEX u32, NDTPA_PROXY_DELAY u64 ms }
/// </code>
/// </summary>
internal static class DeviceSettingsCodec
{
    public static void WriteIPv4Settings(ref NetlinkWriter writer, int index, IReadOnlyList<KeyValuePair<IPv4DeviceSetting, int>> settings)
    {
        var start = writer.BeginMessage(Rtnetlink.RTM_NEWLINK, LinkCodec.ChangeFlags, 0);
        BinaryPrimitives.WriteInt32LittleEndian(writer.Reserve(Rtnetlink.IfInfoMsgSize)[4..], index);
        var afSpec = writer.BeginNested(DeviceSettingsH.IFLA_AF_SPEC);
        var inet = writer.BeginNested(Families.AF_INET);
        var conf = writer.BeginNested(DeviceSettingsH.IFLA_INET_CONF);
        foreach (var (setting, value) in settings)
        {
            writer.WriteInt32((ushort)setting, value);
        }
        writer.EndNested(conf);
        writer.EndNested(inet);
        writer.EndNested(afSpec);
        writer.EndMessage(start);
    }

    public static void WriteProxyDelay(ref NetlinkWriter writer, byte family, int index, ulong milliseconds)
    {
        var start = writer.BeginMessage(DeviceSettingsH.RTM_SETNEIGHTBL, LinkCodec.ChangeFlags, 0);
        writer.Reserve(DeviceSettingsH.NdtMsgSize)[0] = family;
        writer.WriteString(DeviceSettingsH.NDTA_NAME, family == Families.AF_INET ? "arp_cache" : "ndisc_cache");
        var parms = writer.BeginNested(DeviceSettingsH.NDTA_PARMS);
        writer.WriteInt32(DeviceSettingsH.NDTPA_IFINDEX, index);
        Span<byte> delay = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(delay, milliseconds);
        writer.WriteAttribute(DeviceSettingsH.NDTPA_PROXY_DELAY, delay);
        writer.EndNested(parms);
        writer.EndMessage(start);
    }
}
