using System.Text;
using System.Text.Json;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests;

public class CniResultConverterTests
{
    private const string V11Result = """
        {"cniVersion":"1.1.0",
         "interfaces":[{"name":"rn0123456789abc","mac":"ee:ee:ee:ee:ee:ee","mtu":1450},
                       {"name":"eth0","mac":"02:42:ac:11:00:02","mtu":1450,"sandbox":"/run/netns/p","socketPath":"/s","pciID":"0000:00:01.0"}],
         "ips":[{"interface":1,"address":"10.244.1.5/32","gateway":"169.254.1.1"},
                {"interface":1,"address":"fd00::5/128"}],
         "routes":[{"dst":"0.0.0.0/0","gw":"169.254.1.1","mtu":1400,"advmss":1360,"priority":10,"table":100,"scope":0}],
         "dns":{"nameservers":["10.96.0.10"]}}
        """;

    private static CniResult Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return CniResultConverter.Read(doc.RootElement);
    }

    private static JsonElement Written(CniResult result, string version) =>
        JsonDocument.Parse(CniResultConverter.Write(result, version)).RootElement;

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public void Write_PreV1_EveryIpHasVersionField(string version)
    {
        var json = Written(Read(V11Result), version);

        Assert.Equal(version, json.GetProperty("cniVersion").GetString());
        var ips = json.GetProperty("ips").EnumerateArray().ToList();
        Assert.Equal("4", ips[0].GetProperty("version").GetString());
        Assert.Equal("6", ips[1].GetProperty("version").GetString());
    }

    [Fact]
    public void Write_V100_NoVersionFieldAndNo11Fields()
    {
        var json = Written(Read(V11Result), "1.0.0");

        Assert.All(json.GetProperty("ips").EnumerateArray(), ip => Assert.False(ip.TryGetProperty("version", out _)));
        var route = json.GetProperty("routes")[0];
        Assert.Equal("0.0.0.0/0", route.GetProperty("dst").GetString());
        Assert.Equal("169.254.1.1", route.GetProperty("gw").GetString());
        foreach (var key in new[] { "mtu", "advmss", "priority", "table", "scope" })
        {
            Assert.False(route.TryGetProperty(key, out _), key);
        }
        var eth = json.GetProperty("interfaces")[1];
        Assert.Equal("/run/netns/p", eth.GetProperty("sandbox").GetString());
        Assert.False(eth.TryGetProperty("mtu", out _));
        Assert.False(eth.TryGetProperty("socketPath", out _));
        Assert.False(eth.TryGetProperty("pciID", out _));
    }

    [Fact]
    public void Write_V110_Keeps11Fields()
    {
        var json = Written(Read(V11Result), "1.1.0");

        var route = json.GetProperty("routes")[0];
        Assert.Equal(1400, route.GetProperty("mtu").GetInt32());
        Assert.Equal(100, route.GetProperty("table").GetInt32());
        Assert.Equal(0, route.GetProperty("scope").GetInt32());
        Assert.Equal("0000:00:01.0", json.GetProperty("interfaces")[1].GetProperty("pciID").GetString());
    }

    [Fact]
    public void RoundTrip_V031ToV100_SameAddressesAndInterfaces()
    {
        var v031 = Encoding.UTF8.GetString(CniResultConverter.Write(Read(V11Result), "0.3.1"));

        var back = Written(Read(v031), "1.0.0");

        Assert.Equal(
            ["10.244.1.5/32", "fd00::5/128"],
            back.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()));
        Assert.Equal(1, back.GetProperty("ips")[0].GetProperty("interface").GetInt32());
        Assert.Equal("10.96.0.10", back.GetProperty("dns").GetProperty("nameservers")[0].GetString());
    }

    [Theory]
    [InlineData("""{"ips":[{"address":"10.0.0.1"}]}""")]
    [InlineData("""{"ips":[{"address":"10.0.0.1/33"}]}""")]
    [InlineData("""{"interfaces":[{"name":"eth0"}],"ips":[{"interface":1,"address":"10.0.0.1/32"}]}""")]
    [InlineData("""{"ips":"10.0.0.1/32"}""")]
    [InlineData("""{"ips":[{"address":"10.0.0.1/32","interface":"0"}]}""")]
    [InlineData("""{"interfaces":[{"name":7}]}""")]
    [InlineData("""{"dns":{"nameservers":[1]}}""")]
    [InlineData("""[]""")]
    public void Read_Malformed_FormatException(string json) =>
        Assert.Throws<FormatException>(() => Read(json));

    [Fact]
    public void Read_UnknownMembersAndNulls_IgnoredAndLeftOutWhenWritten()
    {
        var result = Read("""{"cniVersion":"1.0.0","vendor":{"x":1},"interfaces":[{"name":"eth0","mac":null,"extra":true}],"ips":[{"address":"10.0.0.1/32","gateway":null}],"dns":null}""");

        var written = Encoding.UTF8.GetString(CniResultConverter.Write(result, "1.0.0"));

        Assert.Equal("""{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.0.0.1/32"}]}""", written);
    }
}
