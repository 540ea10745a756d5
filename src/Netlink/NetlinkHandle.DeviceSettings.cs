using System.Globalization;
using System.Net.Sockets;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink;

/// <summary>Per-interface sysctls over rtnetlink: what `sysctl -w net.ipv4.conf.IF.KEY=V` and `net.ipv4.neigh.IF.proxy_delay` set.</summary>
public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Sets net.ipv4.conf.IF.KEY for every pair in one RTM_NEWLINK, the same values a /proc/sys
    /// write stores (read back through <see cref="InterfaceSysctls.Get"/>). Unlike the /proc write it
    /// sends no RTM_NEWNETCONF notification and flushes no route cache: meant for a link just made.
    /// </summary>
    public void SetIPv4DeviceSettings(int index, IReadOnlyList<KeyValuePair<IPv4DeviceSetting, int>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Change(
            (ref w) => DeviceSettingsCodec.WriteIPv4Settings(ref w, index, settings),
            () => $"sysctl dev {LinkName(index)} ipv4 conf " + string.Join(' ', settings.Select(s => $"{s.Key.SysctlKey()}={s.Value.ToString(CultureInfo.InvariantCulture)}")));
    }

    /// <summary>Sets net.ipv4.neigh.IF.proxy_delay (net.ipv6.neigh for IPv6) with RTM_SETNEIGHTBL; `ip ntable change name arp_cache dev IF proxy_delay MS`.</summary>
    public void SetNeighbourProxyDelay(AddressFamily family, int index, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var native = family == AddressFamily.InterNetworkV6 ? Families.AF_INET6 : family == AddressFamily.InterNetwork ? Families.AF_INET : throw new ArgumentOutOfRangeException(nameof(family));
        var milliseconds = (ulong)delay.TotalMilliseconds;
        Change(
            (ref w) => DeviceSettingsCodec.WriteProxyDelay(ref w, native, index, milliseconds),
            () => $"ntable change dev {LinkName(index)} proxy_delay {milliseconds.ToString(CultureInfo.InvariantCulture)}");
    }
}
