using System.Net;
using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

public class IpamRoleConfigTests
{
    private static NetworkConfig Parse(string ipam) =>
        NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet","ipam":{{{ipam}}}}"""));

    private static CniRequest Request(string json, string? cniArgs = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = "/proc/self/ns/net",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
        };
        if (cniArgs is not null)
        {
            env["CNI_ARGS"] = cniArgs;
        }
        return new CniRequest(CniEnvironment.Read(k => env.GetValueOrDefault(k)), NetworkConfig.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void From_NoSettings_DefaultsToOneIPv4EveryMatchingPoolSixtySecondGrace()
    {
        var config = IpamRoleConfig.From(Parse("""{"type":"routednet-ipam"}"""));

        Assert.Empty(config.Pools);
        Assert.True(config.AssignIPv4);
        Assert.False(config.AssignIPv6);
        Assert.Empty(config.Reserved);
        Assert.Equal(TimeSpan.FromSeconds(60), config.GcGracePeriod);
    }

    [Fact]
    public void From_AllSettings_ReadsPoolsFamiliesReservedAndGrace()
    {
        var config = IpamRoleConfig.From(Parse("""
            {"type":"routednet-ipam","pools":["p4","fd00:244::/56"],"assignIPv4":false,"assignIPv6":true,
             "reserved":["10.244.0.0/29","10.244.9.9","fd00:244::1"],"gcGracePeriodSeconds":5}
            """));

        Assert.Equal(["p4", "fd00:244::/56"], config.Pools);
        Assert.False(config.AssignIPv4);
        Assert.True(config.AssignIPv6);
        Assert.Equal([IPNetwork.Parse("10.244.0.0/29"), IPNetwork.Parse("10.244.9.9/32"), IPNetwork.Parse("fd00:244::1/128")], config.Reserved);
        Assert.Equal(TimeSpan.FromSeconds(5), config.GcGracePeriod);
    }

    [Theory]
    [InlineData("""{"type":"routednet-ipam","pools":"p4"}""")]
    [InlineData("""{"type":"routednet-ipam","pools":[4]}""")]
    [InlineData("""{"type":"routednet-ipam","assignIPv4":"yes"}""")]
    [InlineData("""{"type":"routednet-ipam","assignIPv6":1}""")]
    [InlineData("""{"type":"routednet-ipam","reserved":["10.244.0.0/33"]}""")]
    [InlineData("""{"type":"routednet-ipam","reserved":["not-an-ip"]}""")]
    [InlineData("""{"type":"routednet-ipam","gcGracePeriodSeconds":-1}""")]
    [InlineData("""{"type":"routednet-ipam","gcGracePeriodSeconds":"60"}""")]
    public void From_BadSetting_InvalidNetworkConfig(string ipam)
    {
        var error = Assert.Throws<CniException>(() => IpamRoleConfig.From(Parse(ipam)));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.StartsWith("ipam.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestedAddresses_CniArgsAndRuntimeConfig_BothCountedOnce()
    {
        var request = Request(
            """{"cniVersion":"1.1.0","name":"net1","type":"routednet","runtimeConfig":{"ips":["10.244.1.7/24","fd00::7"]},"ipam":{"type":"routednet-ipam"}}""",
            "IgnoreUnknown=1;IP=10.244.1.7,10.244.1.8");

        var addresses = IpamRoleConfig.RequestedAddresses(request);

        Assert.Equal([IPAddress.Parse("10.244.1.7"), IPAddress.Parse("10.244.1.8"), IPAddress.Parse("fd00::7")], addresses);
    }

    [Fact]
    public void RequestedAddresses_NotAnAddress_InvalidNetworkConfig()
    {
        var request = Request("""{"cniVersion":"1.1.0","name":"net1","type":"routednet","ipam":{"type":"routednet-ipam"}}""", "IP=10.244.1.300");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, Assert.Throws<CniException>(() => IpamRoleConfig.RequestedAddresses(request)).Code);
    }
}
