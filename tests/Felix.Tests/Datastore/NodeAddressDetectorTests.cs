using System.Net;
using System.Text.RegularExpressions;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Datastore;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Tests.Datastore;

public sealed class NodeAddressDetectorTests
{
    private static readonly Dictionary<int, string> Links = new() { [1] = "lo", [2] = "eth0", [3] = "ens5" };

    private static readonly Address[] Addresses =
    [
        new() { LinkIndex = 2, Ip = IPAddress.Parse("172.18.0.2"), PrefixLength = 16 },
        new() { LinkIndex = 2, Ip = IPAddress.Parse("fd00:18::2"), PrefixLength = 64 },
        new() { LinkIndex = 3, Ip = IPAddress.Parse("10.0.5.9"), PrefixLength = 24 },
    ];

    [Fact]
    public void Choose_NoHints_DefaultRouteInterfaceOneAddressPerFamily()
    {
        var choice = NodeAddressDetector.Choose(null, null, Addresses, Links, new HashSet<int> { 2 });

        Assert.Equal(["172.18.0.2/16", "fd00:18::2/64"], choice.Addresses);
        Assert.Contains("eth0", choice.How, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_InterfacePattern_BeatsDefaultRoute()
    {
        var choice = NodeAddressDetector.Choose(null, new Regex("^ens"), Addresses, Links, new HashSet<int> { 2 });

        Assert.Equal(["10.0.5.9/24"], choice.Addresses);
    }

    [Fact]
    public void Choose_NodeIpOnAnInterface_TakesItsPrefixLength()
    {
        var choice = NodeAddressDetector.Choose(IPAddress.Parse("10.0.5.9"), null, Addresses, Links, new HashSet<int> { 2 });

        Assert.Equal(["10.0.5.9/24"], choice.Addresses);
    }

    [Fact]
    public void Choose_NodeIpNotHere_HostPrefix()
    {
        var choice = NodeAddressDetector.Choose(IPAddress.Parse("192.0.2.7"), null, Addresses, Links, new HashSet<int>());

        Assert.Equal(["192.0.2.7/32"], choice.Addresses);
    }

    [Fact]
    public void Choose_NoDefaultRoute_FatalConfigurationError()
    {
        var e = Assert.Throws<ConfigurationException>(() => NodeAddressDetector.Choose(null, null, Addresses, Links, new HashSet<int>()));

        Assert.Contains("--node-ip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_KubernetesInternalIps_OnePerFamilyWithTheInterfacePrefix()
    {
        var choice = NodeAddressDetector.Choose(
            null, null, Addresses, Links, new HashSet<int> { 3 }, [IPAddress.Parse("fd00:18::2"), IPAddress.Parse("172.18.0.2"), IPAddress.Parse("172.18.0.9")]);

        Assert.Equal(["172.18.0.2/16", "fd00:18::2/64"], choice.Addresses);
        Assert.Contains("InternalIP (on eth0, on eth0)", choice.How, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_KubernetesNodeWithoutInternalIp_ConfigurationErrorNamingTheWayOut()
    {
        var e = Assert.Throws<ConfigurationException>(() => NodeAddressDetector.Choose(null, null, Addresses, Links, new HashSet<int> { 2 }, []));

        Assert.Contains("no InternalIP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_InterfacePatternWithKubernetes_PatternWins()
    {
        var choice = NodeAddressDetector.Choose(null, new Regex("^ens"), Addresses, Links, new HashSet<int> { 2 }, [IPAddress.Parse("172.18.0.2")]);

        Assert.Equal(["10.0.5.9/24"], choice.Addresses);
    }
}
