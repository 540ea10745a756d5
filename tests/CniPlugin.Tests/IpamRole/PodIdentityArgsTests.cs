using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>The pod's labels, service account and named ports as the runtime passes them in the netconf "args".</summary>
public class PodIdentityArgsTests
{
    private static PodIdentityArgs Read(string args) =>
        PodIdentityArgs.From(NetworkConfig.Parse(Encoding.UTF8.GetBytes($$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet"{{args}}}""")));

    [Fact]
    public void From_NoArgs_Nothing()
    {
        Assert.Equal(new PodIdentityArgs(null, null, null), Read(""));
    }

    [Fact]
    public void From_ConventionLabelsAndOurServiceAccountAndPorts_Read()
    {
        var identity = Read("""
            ,"args":{"cni":{"labels":[{"key":"pod","value":"a"},{"key":"app.kubernetes.io/name","value":""}]},
                     "routednet":{"serviceAccount":"web","ports":[{"name":"serve-80-tcp","protocol":"TCP","port":80},{"name":"http","port":8080}]}}
            """);

        Assert.Equal(new Dictionary<string, string> { ["pod"] = "a", ["app.kubernetes.io/name"] = "" }, identity.Labels);
        Assert.Equal("web", identity.ServiceAccount);
        Assert.Equal([new EndpointPort { Name = "serve-80-tcp", Protocol = "TCP", Port = 80 }, new EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }], identity.Ports!);
    }

    [Theory]
    [InlineData("""{"cni":{"labels":{"pod":"a"}}}""", "args.cni.labels must be a list")]
    [InlineData("""{"cni":{"labels":[{"value":"a"}]}}""", "args.cni.labels[] needs a string \"key\"")]
    [InlineData("""{"routednet":{"ports":[{"name":"p","port":0}]}}""", "args.routednet.ports[p].port must be a number 1..65535")]
    [InlineData("""{"routednet":{"ports":[{"name":"p","protocol":"ICMP","port":1}]}}""", "args.routednet.ports[p].protocol \"ICMP\" must be TCP, UDP or SCTP")]
    [InlineData("""{"routednet":{"serviceAccount":7}}""", "args.routednet.serviceAccount must be a string")]
    public void From_Malformed_InvalidNetworkConfigNamingTheField(string args, string message)
    {
        var e = Assert.Throws<CniException>(() => Read($",\"args\":{args}"));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
