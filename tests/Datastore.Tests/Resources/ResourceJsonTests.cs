using System.Text.Json;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Resources;

/// <summary>
/// The JSON an operator writes (DESIGN.md "Contracts") must land in the records, and what the
/// store writes must read the same way back: the field names are a public contract.
/// </summary>
public sealed class ResourceJsonTests
{
    [Fact]
    public void IPPool_OperatorJson_ReadsEveryField()
    {
        var pool = Read<IPPool>("""
            {"apiVersion":"routednet.io/v1","kind":"IPPool","metadata":{"name":"p1","labels":{"a":"b"}},
             "spec":{"cidr":"10.244.0.0/16","blockSize":26,"nodeSelector":"rack == \"r1\"","disabled":true}}
            """);

        Assert.Equal(("p1", "b"), (pool.Name, pool.Metadata.Labels!["a"]));
        Assert.Equal(("10.244.0.0/16", 26, "rack == \"r1\"", true), (pool.Spec.Cidr, pool.Spec.BlockSize, pool.Spec.NodeSelector, pool.Spec.Disabled));
    }

    [Theory]
    [InlineData("10.244.0.0/16", null, 24)]
    [InlineData("fd00:244::/56", null, 122)]
    [InlineData("10.244.0.0/16", 28, 28)]
    public void IPPool_BlockSize_DefaultsPerFamily(string cidr, int? blockSize, int expected)
    {
        Assert.Equal(expected, new IPPoolSpec { Cidr = cidr, BlockSize = blockSize }.EffectiveBlockSize());
    }

    [Fact]
    public void BGPPeerAndConfiguration_OperatorJson_ReadEveryField()
    {
        var peer = Read<BGPPeer>("""
            {"kind":"BGPPeer","metadata":{"name":"tor"},"spec":{"peerIP":"172.18.0.1","asNumber":65000,"nodeSelector":"all()",
             "password":"s3cret","keepaliveTime":10,"holdTime":30,"routeReflectorClient":true,"maxPrefixes":1000,"port":1179}}
            """);
        var bgp = Read<BGPConfiguration>("""
            {"kind":"BGPConfiguration","metadata":{"name":"default"},"spec":{"asNumber":64512,"nodeToNodeMesh":false,"listenPort":1179,
             "serviceClusterIPs":[{"cidr":"10.96.0.0/12"}],"serviceExternalIPs":["192.0.2.0/24"],"serviceLoadBalancerIPs":[{"cidr":"198.51.100.0/24"}],
             "serviceLoadBalancerAggregation":"Disabled"}}
            """);

        Assert.Equal(("172.18.0.1", 65000u, "all()", "s3cret"), (peer.Spec.PeerIP, peer.Spec.AsNumber, peer.Spec.NodeSelector, peer.Spec.Password));
        Assert.Equal((10, 30, true, 1000, 1179), (peer.Spec.KeepaliveTime, peer.Spec.HoldTime, peer.Spec.RouteReflectorClient, peer.Spec.MaxPrefixes, peer.Spec.Port));
        Assert.Equal((64512u, false, 1179), (bgp.Spec.AsNumber, bgp.Spec.NodeToNodeMesh, bgp.Spec.ListenPort));
        Assert.Equal([new ServiceCidr("10.96.0.0/12")], bgp.Spec.ServiceClusterIPs!);
        Assert.Equal([new ServiceCidr("192.0.2.0/24")], bgp.Spec.ServiceExternalIPs!);
        Assert.Equal([new ServiceCidr("198.51.100.0/24")], bgp.Spec.ServiceLoadBalancerIPs!);
        Assert.Equal("Disabled", bgp.Spec.ServiceLoadBalancerAggregation);
    }

    [Fact]
    public void BGPConfiguration_ServiceRangeAsString_WrittenBackInCalicosShape()
    {
        var bgp = Read<BGPConfiguration>("""{"kind":"BGPConfiguration","metadata":{"name":"default"},"spec":{"serviceExternalIPs":["192.0.2.0/24"]}}""");

        var json = JsonSerializer.Serialize(bgp, BGPConfiguration.JsonTypeInfo);

        Assert.Contains("\"serviceExternalIPs\":[{\"cidr\":\"192.0.2.0/24\"}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_KubernetesShapedJson_ReadEveryField()
    {
        var service = Read<Service>("""
            {"kind":"Service","metadata":{"name":"web","namespace":"shop"},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10","fd00:96::a"],"externalIPs":["192.0.2.7"],"externalTrafficPolicy":"Local"},
             "status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.7"},{"hostname":"lb.example"}]}},
             "endpoints":[{"addresses":["10.244.1.5"],"nodeName":"node1","conditions":{"ready":false,"serving":true,"terminating":true}},
                          {"addresses":["10.244.2.5"],"nodeName":"node2"}]}
            """);

        Assert.Equal(("shop", "LoadBalancer", "Local"), (service.Metadata.Namespace, service.Spec.Type, service.Spec.ExternalTrafficPolicy));
        Assert.Equal(["10.96.0.10", "fd00:96::a"], service.Spec.AllClusterIPs());
        Assert.Equal(["192.0.2.7"], service.Spec.ExternalIPs!);
        Assert.Equal(["198.51.100.7", null], service.Status.LoadBalancer!.Ingress.Select(i => i.Ip));
        Assert.Equal([(false, "node1"), (true, "node2")], service.Endpoints.Select(e => (e.IsReady, e.NodeName!)));
    }

    [Fact]
    public void NodeAndWorkloadEndpoint_OperatorJson_ReadEveryField()
    {
        var node = Read<Node>("""
            {"kind":"Node","metadata":{"name":"n1","labels":{"rack":"r1"}},
             "spec":{"addresses":["172.18.0.2/24","fd00::2/64"],"asNumber":64513,"routeReflectorClusterID":"1.1.1.1"}}
            """);
        var endpoint = Read<WorkloadEndpoint>("""
            {"kind":"WorkloadEndpoint","metadata":{"name":"n1-ctr-eth0"},"spec":{"pod":"web","namespace":"default","containerID":"abc",
             "interface":"eth0","hostInterface":"rn1234","ipNetworks":["10.244.1.4/32"],"node":"n1","network":"k8s"}}
            """);

        Assert.Equal(["172.18.0.2/24", "fd00::2/64"], node.Spec.Addresses);
        Assert.Equal((64513u, "1.1.1.1"), (node.Spec.AsNumber, node.Spec.RouteReflectorClusterID));
        Assert.Equal(("web", "default", "abc", "eth0", "rn1234", "n1", "k8s"), (endpoint.Spec.Pod, endpoint.Spec.Namespace, endpoint.Spec.ContainerID, endpoint.Spec.Interface, endpoint.Spec.HostInterface, endpoint.Spec.Node, endpoint.Spec.Network));
        Assert.Equal(["10.244.1.4/32"], endpoint.Spec.IPNetworks);
    }

    [Fact]
    public void WorkloadEndpoint_LabelsServiceAccountPorts_ReadAndWrittenInCamelCase()
    {
        var endpoint = Read<WorkloadEndpoint>("""
            {"kind":"WorkloadEndpoint","metadata":{"name":"e","labels":{"pod":"a"}},"spec":{"pod":"a","namespace":"x","node":"n1",
             "serviceAccount":"web","ports":[{"name":"serve-80-tcp","protocol":"TCP","port":80},{"name":"serve-81-udp","protocol":"UDP","port":81}]}}
            """);

        Assert.Equal("a", endpoint.Metadata.Labels!["pod"]);
        Assert.Equal("web", endpoint.Spec.ServiceAccount);
        Assert.Equal([new EndpointPort { Name = "serve-80-tcp", Protocol = "TCP", Port = 80 }, new EndpointPort { Name = "serve-81-udp", Protocol = "UDP", Port = 81 }], endpoint.Spec.Ports!);
        var json = System.Text.Json.JsonSerializer.Serialize(endpoint, WorkloadEndpoint.JsonTypeInfo);
        Assert.Contains("\"serviceAccount\":\"web\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ports\":[{\"name\":\"serve-80-tcp\",\"protocol\":\"TCP\",\"port\":80}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointPort_NoProtocol_IsTcp()
    {
        var endpoint = Read<WorkloadEndpoint>("""{"kind":"WorkloadEndpoint","metadata":{"name":"e"},"spec":{"node":"n1","ports":[{"name":"http","port":8080}]}}""");

        Assert.Equal("TCP", Assert.Single(endpoint.Spec.Ports!).Protocol);
    }

    [Fact]
    public void IpamKinds_RoundTrip_KeepEveryField()
    {
        var released = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture);
        var block = new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = "10-244-1-0-30" },
            Spec = new IPAMBlockSpec
            {
                Cidr = "10.244.1.0/30",
                Affinity = "host:n1",
                Allocations = [0, null, null, 0],
                Unallocated = [2, 1],
                Attributes = [new AllocationAttribute { HandleId = "net.abc.eth0", Secondary = new Dictionary<string, string> { ["pod"] = "web" } }],
                Released = [new ReleasedOrdinal { Ordinal = 1, ReleasedAt = released }],
            },
        };

        var back = Read<IPAMBlock>(JsonSerializer.Serialize(block, IPAMBlock.JsonTypeInfo));

        Assert.Equal([0, null, null, 0], back.Spec.Allocations);
        Assert.Equal([2, 1], back.Spec.Unallocated);
        Assert.Equal("web", back.Spec.Attributes[0].Secondary!["pod"]);
        Assert.Equal(released, back.Spec.Released[0].ReleasedAt);
        Assert.Equal("host:n1", back.Spec.Affinity);
    }

    [Fact]
    public void OperatorJson_FieldsLeftOut_ReadAsTheRecordsDefaults()
    {
        var config = Read<IPAMConfig>("""{"kind":"IPAMConfig","metadata":{"name":"default"}}""");
        var affinity = Read<BlockAffinity>("""{"kind":"BlockAffinity","metadata":{"name":"a"},"spec":{"node":"n1","cidr":"10.244.1.0/24"}}""");
        var block = Read<IPAMBlock>("""{"kind":"IPAMBlock","spec":{"cidr":"10.244.1.0/24"}}""");
        var handle = Read<IPAMHandle>("""{"kind":"IPAMHandle","metadata":{"name":"h"},"spec":{}}""");

        Assert.Equal((0, false), (config.Spec.MaxBlocksPerHost, config.Spec.StrictAffinity));
        Assert.Equal(BlockAffinitySpec.StatePending, affinity.Spec.State);
        Assert.Equal("", block.Name);
        Assert.Equal((0, 0, 0, 0), (block.Spec.Allocations.Count, block.Spec.Unallocated.Count, block.Spec.Attributes.Count, block.Spec.Released.Count));
        Assert.Equal(("", 0), (handle.Spec.HandleId, handle.Spec.Block.Count));
    }

    [Fact]
    public void Serialize_AnyKind_StartsWithApiVersionKindMetadataInCamelCase()
    {
        var json = JsonSerializer.Serialize(
            new IPAMConfig { Metadata = new ObjectMeta { Name = "default" }, Spec = new IPAMConfigSpec { StrictAffinity = true, MaxBlocksPerHost = 4 } },
            IPAMConfig.JsonTypeInfo);

        Assert.StartsWith("""{"apiVersion":"routednet.io/v1","kind":"IPAMConfig","metadata":{"name":"default"},"spec":{"strictAffinity":true,"maxBlocksPerHost":4""", json, StringComparison.Ordinal);
    }

    private static T Read<T>(string json)
        where T : Resource, IResourceKind<T> =>
        JsonSerializer.Deserialize(json, T.JsonTypeInfo)!;
}
