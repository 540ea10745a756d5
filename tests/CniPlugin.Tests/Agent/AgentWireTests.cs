using Google.Protobuf;
using System.Text;
using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;
using V1 = RoutedNet.Felix.Api.V1;

namespace RoutedNet.CniPlugin.Tests.Agent;

/// <summary>The plugin's hand-written protobuf against the types generated from proto/node.proto (what the agent decodes with).</summary>
public sealed class AgentWireTests
{
    private static CniRequest Request(string ipam, string args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1;IP=10.244.9.9")
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c0ffee",
            ["CNI_NETNS"] = "/run/netns/x",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
            ["CNI_ARGS"] = args,
        };
        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.0.0","name":"k8s","type":"routednet","ipam":{{{ipam}}}}"""));
        return new CniRequest(CniEnvironment.Read(k => env.GetValueOrDefault(k)), config);
    }

    [Fact]
    public void AllocationMessage_ReadByTheGeneratedType_EveryField()
    {
        var message = AgentIpam.AllocationMessage(Request("""{"type":"routednet-ipam","assignIPv6":true,"pools":["pool-a","fd00::/64"],"reserved":["10.244.0.0/30"]}"""), "rn0123456789a");

        var parsed = V1.CniAllocateRequest.Parser.ParseFrom(message.Written.ToArray());

        Assert.Equal(AgentMethod.ApiVersion, parsed.ApiVersion);
        Assert.Equal((uint)V1.CniApiVersion._1, parsed.ApiVersion);
        Assert.Equal(new V1.CniAttachment { ContainerId = "c0ffee", IfName = "eth0", Network = "k8s", Pod = "web-1", Namespace = "shop", HandleId = "k8s.c0ffee.eth0" }, parsed.Attachment);
        Assert.Equal(1u, parsed.Ipv4Count);
        Assert.Equal(1u, parsed.Ipv6Count);
        Assert.Equal(["10.244.9.9"], parsed.Addresses);
        Assert.Equal(["pool-a", "fd00::/64"], parsed.Pools);
        Assert.Equal(["10.244.0.0/30"], parsed.Reserved);
        Assert.Equal("rn0123456789a", parsed.RegisterHostInterface);
    }

    [Fact]
    public void AllocationMessage_FromTheIpamRole_AsksForNoRegistration()
    {
        var message = AgentIpam.AllocationMessage(Request("""{"type":"routednet-ipam"}"""));

        Assert.Equal("", V1.CniAllocateRequest.Parser.ParseFrom(message.Written.ToArray()).RegisterHostInterface);
    }

    [Fact]
    public void ParseAllocation_GeneratedResponseWithAnUnknownField_HostPrefixes()
    {
        var response = new V1.CniAllocateResponse { Addresses = { "10.244.1.7", "fd00::7" } };
        // A field a newer agent may add is skipped.
        var bytes = response.ToByteArray().Concat(new byte[] { (9 << 3) | 0, 42 }).ToArray();

        var parsed = AgentIpam.ParseAllocation(bytes, "1.0.0");

        Assert.Equal(["10.244.1.7/32", "fd00::7/128"], parsed.Result.Ips!.Select(ip => ip.Address));
        Assert.False(parsed.EndpointRegistered); // an agent older than the field
    }

    [Fact]
    public void ParseAllocation_EndpointRegistered_Read()
    {
        var response = new V1.CniAllocateResponse { Addresses = { "10.244.1.7" }, EndpointRegistered = true };

        Assert.True(AgentIpam.ParseAllocation(response.ToByteArray(), "1.0.0").EndpointRegistered);
    }

    [Fact]
    public void ProtoWriter_LongStringsAndVarints_RoundTrip()
    {
        var pod = new string('p', 300);
        var writer = new ProtoWriter().Varint(1, 300).Message(2, new AgentAttachment("c", "eth0", "n", pod, "ns").Encode());

        var parsed = V1.CniReleaseRequest.Parser.ParseFrom(writer.Written.ToArray());

        Assert.Equal(300u, parsed.ApiVersion);
        Assert.Equal(pod, parsed.Attachment.Pod);
    }
}
