using RoutedNet.Ctl.Lab;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Lab;

/// <summary>`lab add-service`: the Service it writes, and one line naming what is wrong.</summary>
public sealed class LabServicesTests
{
    private static readonly LabState State = new()
    {
        Prefix = "rnlab",
        Datastore = "sqlite:///nonexistent/store.db",
        Pods =
        [
            new LabPod { Name = "node1-pod1", Node = "node1", Namespace = "rnlab-node1-pod1", ContainerId = "c1", Addresses = ["10.244.1.2"] },
            new LabPod { Name = "node2-pod1", Node = "node2", Namespace = "rnlab-node2-pod1", ContainerId = "c2", Addresses = ["10.244.2.2", "fd00:244:2::2"] },
        ],
    };

    [Fact]
    public void Build_LoadBalancerLocal_VipIsTheIngressPodsAreReadyEndpoints()
    {
        var service = LabServices.Build(State, "web", "LoadBalancer", "Local", "198.51.100.10", ["node1-pod1", "node2-pod1"]);

        Assert.Equal(("lab", "web", "LoadBalancer", "Local"), (service.Metadata.Namespace, service.Name, service.Spec.Type, service.Spec.ExternalTrafficPolicy));
        Assert.Null(service.Spec.ClusterIP);
        Assert.Equal("198.51.100.10", Assert.Single(service.Status.LoadBalancer!.Ingress).Ip);
        Assert.Equal([("node1", true, 1), ("node2", true, 2)], service.Endpoints.Select(e => (e.NodeName!, e.IsReady, e.Addresses.Count)));
    }

    [Fact]
    public void Build_ClusterIPInANamespace_VipIsTheClusterIP()
    {
        var service = LabServices.Build(State, "shop/api", "ClusterIP", "Cluster", "10.96.0.10", []);

        Assert.Equal(("shop", "api", "10.96.0.10"), (service.Metadata.Namespace, service.Name, service.Spec.ClusterIP));
        Assert.Null(service.Status.LoadBalancer);
        Assert.Empty(service.Endpoints);
    }

    [Theory]
    [InlineData("NodePort", "Local", "198.51.100.10", "node1-pod1", "--type \"NodePort\" must be ClusterIP or LoadBalancer")]
    [InlineData("LoadBalancer", "local", "198.51.100.10", "node1-pod1", "--external-traffic-policy \"local\" must be Local or Cluster")]
    [InlineData("LoadBalancer", "Local", "198.51.100.0/24", "node1-pod1", "--ip \"198.51.100.0/24\" is not an IP address")]
    [InlineData("LoadBalancer", "Local", "198.51.100.10", "node3-pod1", "no pod node3-pod1 in the lab (pods: node1-pod1, node2-pod1)")]
    public void Build_BadFlag_OneLineNamingIt(string type, string policy, string vip, string pod, string expected)
    {
        var error = Assert.Throws<CtlException>(() => LabServices.Build(State, "web", type, policy, vip, [pod]));

        Assert.Equal(expected, error.Message);
    }
}
