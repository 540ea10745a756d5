using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Validation;

namespace RoutedNet.Datastore.Tests.Validation;

/// <summary>The routednet.io Service kind (issue 17): what the agent would announce must parse when written.</summary>
public sealed class ServiceValidationTests
{
    [Fact]
    public void Service_LoadBalancerLocalWithEndpoints_Passes()
    {
        ResourceValidator.Validate(Read("""
            {"spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.10","fd00:96::a"],"externalIPs":["192.0.2.7"],"externalTrafficPolicy":"Local"},
             "status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.7"}]}},
             "endpoints":[{"addresses":["10.244.1.5"],"nodeName":"node1","conditions":{"ready":true}}]}
            """));
    }

    [Fact]
    public void Service_Headless_Passes()
    {
        ResourceValidator.Validate(Read("""{"spec":{"clusterIP":"None"}}"""));
    }

    [Theory]
    [InlineData("""{"spec":{"type":"Balancer"}}""", "spec.type \"Balancer\" must be one of ClusterIP, NodePort, LoadBalancer, ExternalName")]
    [InlineData("""{"spec":{"externalTrafficPolicy":"local"}}""", "spec.externalTrafficPolicy \"local\" must be one of Cluster, Local")]
    [InlineData("""{"spec":{"clusterIPs":["10.96.0.300"]}}""", "spec.clusterIPs: \"10.96.0.300\" is not an IP address")]
    [InlineData("""{"spec":{"externalIPs":["192.0.2.0/24"]}}""", "spec.externalIPs: \"192.0.2.0/24\" is not an IP address")]
    [InlineData("""{"status":{"loadBalancer":{"ingress":[{"ip":"lb.example"}]}}}""", "status.loadBalancer.ingress[].ip: \"lb.example\" is not an IP address")]
    [InlineData("""{"endpoints":[{"addresses":["pod-a"],"nodeName":"node1"}]}""", "endpoints[].addresses: \"pod-a\" is not an IP address")]
    public void Service_BadField_RefusedNamingIt(string json, string expected)
    {
        var error = Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(Read(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static Service Read(string json) =>
        JsonSerializer.Deserialize(json, Service.JsonTypeInfo)! with { Metadata = new ObjectMeta { Name = "web", Namespace = "shop" } };
}
