using System.Globalization;
using System.Net.NetworkInformation;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink;

/// <summary>Links: `ip link`.</summary>
public sealed partial class NetlinkHandle
{
    /// <summary>`ip link show [type KIND] [master IF]`: every link, or those <paramref name="filter"/> selects.</summary>
    public IReadOnlyList<Link> ListLinks(LinkFilter? filter = null)
    {
        filter ??= new LinkFilter();
        return Dump<Link>((ref w) => LinkCodec.WriteDump(ref w, filter), () => "link show", p => LinkCodec.Read(p), l => Matches(filter, l));
    }

    private static bool Matches(LinkFilter filter, Link link) =>
        (filter.Kind is null || string.Equals(link.Kind, filter.Kind, StringComparison.Ordinal))
        && (filter.MasterIndex is null || link.MasterIndex == filter.MasterIndex);

    /// <summary>The link with this index; `ip link show dev IF`. Throws ENODEV when there is none.</summary>
    public Link GetLink(int index) =>
        Query<Link>(
            (ref w) => LinkCodec.WriteGet(ref w, index, null),
            () => OperationText.Link("show", "index " + index.ToString(CultureInfo.InvariantCulture)),
            p => LinkCodec.Read(p));

    /// <summary>The link with this name; `ip link show dev NAME`. Throws ENODEV when there is none.</summary>
    public Link GetLink(string name) =>
        FindLink(name) ?? throw new NetlinkException(Errno.ENODEV, OperationText.Link("show", "dev " + name));

    /// <summary>The link with this name, or null when there is none.</summary>
    public Link? FindLink(string name)
    {
        LinkNames.Check(name);
        return QueryOrAbsent<Link>((ref w) => LinkCodec.WriteGet(ref w, 0, name), () => OperationText.Link("show", "dev " + name), p => LinkCodec.Read(p), Errno.ENODEV);
    }

    /// <summary>
    /// Creates a veth pair and returns the end that stays here;
    /// `ip link add NAME type veth peer name PEER [netns PEERNS]`. The peer is created directly in
    /// <see cref="VethPair.PeerNamespacePath"/> (IFLA_NET_NS_FD), so it never appears here.
    /// </summary>
    public Link AddVeth(VethPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var text = $"veth {pair.Name} peer {pair.PeerName}" + (pair.PeerNamespacePath is null ? "" : " netns " + pair.PeerNamespacePath);
        var namespaceFd = pair.PeerNamespacePath is null ? -1 : Syscalls.OpenReadOnly(pair.PeerNamespacePath, "netns open " + pair.PeerNamespacePath);
        try
        {
            Change((ref w) => LinkCodec.WriteVeth(ref w, pair, namespaceFd), () => OperationText.Link("add", text));
        }
        finally
        {
            if (namespaceFd >= 0)
            {
                Syscalls.Close(namespaceFd);
            }
        }
        return GetLink(pair.Name);
    }

    /// <summary>`ip link set dev IF up`.</summary>
    public void SetLinkUp(int index) =>
        Change((ref w) => LinkCodec.WriteSet(ref w, index, flags: IfLink.IFF_UP, change: IfLink.IFF_UP), () => SetText(index, "up"));

    /// <summary>`ip link set dev IF down`.</summary>
    public void SetLinkDown(int index) =>
        Change((ref w) => LinkCodec.WriteSet(ref w, index, flags: 0, change: IfLink.IFF_UP), () => SetText(index, "down"));

    /// <summary>`ip link set dev IF down group N`, in one message.</summary>
    public void SetLinkDownInGroup(int index, uint group) =>
        Change((ref w) => LinkCodec.WriteSet(ref w, index, flags: 0, change: IfLink.IFF_UP, group: group),
            () => SetText(index, "down group " + group.ToString(CultureInfo.InvariantCulture)));

    /// <summary>`ip link set dev IF name NAME` (the kernel refuses while the link is up: EBUSY).</summary>
    public void SetLinkName(int index, string name)
    {
        LinkNames.Check(name);
        Change((ref w) => LinkCodec.WriteSet(ref w, index, name: name), () => SetText(index, "name " + name));
    }

    /// <summary>`ip link set dev IF address MAC`.</summary>
    public void SetLinkAddress(int index, PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Change((ref w) => LinkCodec.WriteSet(ref w, index, address: address), () => SetText(index, "address " + OperationText.FormatMac(address.GetAddressBytes())));
    }

    /// <summary>`ip link set dev IF mtu N`.</summary>
    public void SetLinkMtu(int index, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        Change((ref w) => LinkCodec.WriteSet(ref w, index, mtu: mtu), () => SetText(index, "mtu " + mtu.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>`ip link set dev IF netns PATH`: moves the link into another namespace (it disappears from this one).</summary>
    public void MoveLink(int index, string namespacePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);
        var namespaceFd = Syscalls.OpenReadOnly(namespacePath, "netns open " + namespacePath);
        try
        {
            Change((ref w) => LinkCodec.WriteSet(ref w, index, namespaceFd: namespaceFd), () => SetText(index, "netns " + namespacePath));
        }
        finally
        {
            Syscalls.Close(namespaceFd);
        }
    }

    /// <summary>`ip link del dev IF`; deleting one end of a veth deletes both.</summary>
    public void DeleteLink(int index) =>
        Change((ref w) => LinkCodec.WriteDelete(ref w, index), () => OperationText.Link("del", "dev " + LinkName(index)));

    /// <summary>
    /// `ip link del group N`: deletes every link of the group in one kernel operation, which waits
    /// out the RCU grace periods once for all of them rather than once per link. Throws ENODEV when
    /// the group has no link.
    /// </summary>
    public void DeleteLinkGroup(uint group) =>
        Change((ref w) => LinkCodec.WriteDeleteGroup(ref w, group), () => OperationText.Link("del", "group " + group.ToString(CultureInfo.InvariantCulture)));

    private string SetText(int index, string what) => OperationText.Link("set", $"dev {LinkName(index)} {what}");
}
