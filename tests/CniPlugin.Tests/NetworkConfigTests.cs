using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.Wiring;

namespace RoutedNet.CniPlugin.Tests;

public class NetworkConfigTests
{
    private static NetworkConfig Parse(string json) => NetworkConfig.Parse(Encoding.UTF8.GetBytes(json));

    private static int CodeOf(string json) => Assert.Throws<CniException>(() => Parse(json)).Code;

    [Fact]
    public void Parse_FullConfig_ReadsCommonFields()
    {
        var config = Parse("""
            {"cniVersion":"1.0.0","name":"k8s-pod-network","type":"routednet","mtu":1450,
             "ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24"}]]},"unknownKey":true}
            """);

        Assert.Equal("1.0.0", config.CniVersion);
        Assert.Equal("k8s-pod-network", config.Name);
        Assert.Equal("routednet", config.Type);
        Assert.Equal("host-local", config.IpamType);
        Assert.Null(config.PrevResult);
    }

    [Theory]
    [InlineData("", CniErrorCode.DecodingFailure)]
    [InlineData("  \n", CniErrorCode.DecodingFailure)]
    [InlineData("not json", CniErrorCode.DecodingFailure)]
    [InlineData("[1,2]", CniErrorCode.DecodingFailure)]
    [InlineData("""{"cniVersion":"1.0.0","type":"routednet"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"1.0.0","name":"-bad","type":"routednet"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":""}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"name":"n","type":"routednet"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"0.2.0","name":"n","type":"routednet"}""", CniErrorCode.IncompatibleVersion)]
    [InlineData("""{"cniVersion":"2.0.0","name":"n","type":"routednet"}""", CniErrorCode.IncompatibleVersion)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":"host-local"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":{"type":"../bin/sh"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","prevResult":{"ips":[{"address":"10.0.0.1"}]}}""", CniErrorCode.InvalidNetworkConfig)]
    public void Parse_BadInput_SpecErrorCode(string json, int code) => Assert.Equal(code, CodeOf(json));

    [Fact]
    public void Parse_PrevResultV031_ReadAsResult()
    {
        var config = Parse("""
            {"cniVersion":"0.3.1","name":"n","type":"portmap","prevResult":{"cniVersion":"0.3.1",
             "interfaces":[{"name":"rn0"},{"name":"eth0","sandbox":"/run/netns/p"}],
             "ips":[{"version":"4","interface":1,"address":"10.244.1.5/32"}]}}
            """);

        var ip = Assert.Single(config.PrevResult!.Ips!);
        Assert.Equal("10.244.1.5/32", ip.Address);
        Assert.Equal(1, ip.Interface);
    }

    [Fact]
    public void Parse_ValidAttachments_Read()
    {
        var config = Parse("""
            {"cniVersion":"1.1.0","name":"n","type":"routednet",
             "cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]}
            """);

        Assert.Equal([new CniAttachment { ContainerId = "c1", IfName = "eth0" }], config.ValidAttachments);
    }

    [Fact]
    public void RoutedNetConfig_Defaults_DataDirAndKernelMtu()
    {
        var settings = RoutedNetConfig.From(Parse("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":{"type":"host-local"}}"""));

        Assert.Equal(RoutedNetConfig.DefaultDataDir, settings.DataDir);
        Assert.Null(settings.Mtu);
        Assert.Equal("host-local", settings.IpamType);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":{"type":"host-local"},"mtu":"1500"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":{"type":"host-local"},"mtu":70000}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet","ipam":{"type":"host-local"},"dataDir":"relative/dir"}""")]
    public void RoutedNetConfig_Invalid_InvalidNetworkConfig(string json)
    {
        var config = Parse(json);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, Assert.Throws<CniException>(() => RoutedNetConfig.From(config)).Code);
    }
}
