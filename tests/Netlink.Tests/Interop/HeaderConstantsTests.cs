using System.Reflection;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Tests.Interop;

/// <summary>
/// Every kernel constant we spell in Interop/, and every public enum that mirrors one, is checked
/// against this machine's uapi headers (linux-libc-dev), so a typo can never reach the wire.
/// </summary>
public sealed class HeaderConstantsTests
{
    private static readonly CHeader Headers = CHeader.Parse(
        "/usr/include/linux/netlink.h",
        "/usr/include/linux/rtnetlink.h",
        "/usr/include/linux/if_link.h",
        "/usr/include/linux/if_addr.h",
        "/usr/include/linux/neighbour.h",
        "/usr/include/linux/veth.h",
        "/usr/include/linux/if.h",
        "/usr/include/linux/netfilter.h",
        "/usr/include/linux/netfilter/nfnetlink.h",
        "/usr/include/linux/netfilter/nf_tables.h",
        "/usr/include/linux/netfilter/nfnetlink_log.h",
        "/usr/include/asm-generic/errno-base.h",
        "/usr/include/asm-generic/errno.h",
        Directory.GetFiles("/usr/include", "socket.h", SearchOption.AllDirectories).First(p => p.EndsWith("bits/socket.h", StringComparison.Ordinal)));

    public static TheoryData<string, long> InteropConstants()
    {
        var data = new TheoryData<string, long>();
        const BindingFlags Constants = BindingFlags.Public | BindingFlags.Static;
        FieldInfo[] fields =
        [
            .. typeof(NetlinkProtocol).GetFields(Constants),
            .. typeof(Rtnetlink).GetFields(Constants),
            .. typeof(IfLink).GetFields(Constants),
            .. typeof(IfAddr).GetFields(Constants),
            .. typeof(NeighbourH).GetFields(Constants),
            .. typeof(Families).GetFields(Constants),
            .. typeof(DeviceSettingsH).GetFields(Constants),
            .. typeof(NfTables).GetFields(Constants),
            .. typeof(NfTrace).GetFields(Constants),
            .. typeof(NfLog).GetFields(Constants),
        ];
        foreach (var field in fields.Where(f => f.IsLiteral))
        {
            // C spellings are all capitals; .NET-named sizes (NlMsgHdrSize) are checked by the layout tests.
            if (field.Name.Any(char.IsLower))
            {
                continue;
            }
            data.Add(field.Name, Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InteropConstants))]
    public void InteropConstant_MatchesKernelHeader(string name, long value)
    {
        Assert.Equal(Headers[name], value);
    }

    [Fact]
    public void InteropConstants_CoverTheWireTypesWeUse()
    {
        var names = InteropConstants().Select(row => (string)row[0]).ToHashSet();

        Assert.Contains("RTM_NEWROUTE", names);
        Assert.Contains("IFLA_NET_NS_FD", names);
        Assert.Contains("NETLINK_EXT_ACK", names);
        Assert.True(names.Count >= 50, $"only {names.Count} constants were checked");
    }

    [Theory]
    [InlineData(typeof(RouteType), "RTN_", new[] { "Unspecified=UNSPEC", "Nat=NAT" })]
    [InlineData(typeof(RouteScope), "RT_SCOPE_", new[] { "Universe=UNIVERSE" })]
    [InlineData(typeof(AddressFlags), "IFA_F_", new[] { "ManageTempAddress=MANAGETEMPADDR", "NoPrefixRoute=NOPREFIXROUTE", "DadFailed=DADFAILED", "HomeAddress=HOMEADDRESS", "NoDad=NODAD" })]
    [InlineData(typeof(NeighbourState), "NUD_", new[] { "NoArp=NOARP" })]
    [InlineData(typeof(NeighbourFlags), "NTF_", new[] { "ExternallyLearned=EXT_LEARNED" })]
    [InlineData(typeof(LinkFlags), "IFF_", new[] { "PointToPoint=POINTOPOINT", "NoArp=NOARP", "Promiscuous=PROMISC", "LowerUp=LOWER_UP" })]
    [InlineData(typeof(OperationalState), "IF_OPER_", new[] { "NotPresent=NOTPRESENT", "LowerLayerDown=LOWERLAYERDOWN" })]
    [InlineData(typeof(RoutedNet.Netlink.Nftables.NftMetaKey), "NFT_META_", new[] { "InputInterfaceName=IIFNAME", "OutputInterfaceName=OIFNAME", "NetfilterProtocol=NFPROTO", "Layer4Protocol=L4PROTO" })]
    [InlineData(typeof(RouteProtocol), "RTPROT_", new[] { "Unspecified=UNSPEC", "RoutedNet=" })]
    public void PublicEnum_MatchesKernelHeader(Type enumType, string prefix, string[] renames)
    {
        var map = renames.Select(r => r.Split('=')).ToDictionary(r => r[0], r => r[1]);
        foreach (var name in Enum.GetNames(enumType))
        {
            var cName = map.TryGetValue(name, out var renamed) ? renamed : name.ToUpperInvariant();
            if (cName.Length == 0 || (name == "None" && !Headers.TryGet(prefix + "NONE", out _)))
            {
                // Ours alone (RoutedNet's protocol number) or the empty flag set.
                continue;
            }
            var value = Convert.ToInt64(Enum.Parse(enumType, name), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Headers.TryGet(prefix + cName, out var header), $"{enumType.Name}.{name}: {prefix}{cName} is not in the headers");
            Assert.Equal(header, value);
        }
    }

    [Fact]
    public void Errno_EveryNamedValue_MatchesKernelHeader()
    {
        foreach (var errno in Enum.GetValues<Errno>().Where(e => e != Errno.None))
        {
            Assert.Equal(Headers[errno.ToString()], (long)errno);
        }
    }

    [Fact]
    public void RouteTables_MatchKernelHeader()
    {
        Assert.Equal(RouteTable.Main, Headers["RT_TABLE_MAIN"]);
        Assert.Equal(RouteTable.Local, Headers["RT_TABLE_LOCAL"]);
        Assert.Equal(RouteTable.Default, Headers["RT_TABLE_DEFAULT"]);
    }
}
