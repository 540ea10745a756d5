using System.Text.Json;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Kubernetes;

namespace RoutedNet.Felix.Tests.Kubernetes;

/// <summary>The kubernetes datastore's Services: a core Service joined with its EndpointSlices, as the API server sends them.</summary>
public sealed class KubeServicesTests
{
    // As kube-apiserver returns them (trimmed of managedFields): ports, selectors, ipFamilies and the rest are not ours to read.
    private const string CoreService = """
        {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"shop","uid":"1b2c","resourceVersion":"812","creationTimestamp":"2026-12-07T11:00:00Z"},
         "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":31080}],"selector":{"app":"web"},
                 "clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"type":"LoadBalancer","sessionAffinity":"None",
                 "externalTrafficPolicy":"Local","healthCheckNodePort":31999,"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
                 "allocateLoadBalancerNodePorts":true,"internalTrafficPolicy":"Cluster"},
         "status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.7","ipMode":"VIP"}]}}}
        """;

    private const string Slice = """
        {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","metadata":{"name":"web-x7k2p","namespace":"shop","generateName":"web-",
          "labels":{"endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io","kubernetes.io/service-name":"web"},
          "ownerReferences":[{"apiVersion":"v1","kind":"Service","name":"web","uid":"1b2c","controller":true,"blockOwnerDeletion":true}]},
         "addressType":"IPv4",
         "endpoints":[{"addresses":["10.244.1.5"],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":"n1",
                       "targetRef":{"kind":"Pod","namespace":"shop","name":"web-0","uid":"9f"},"zone":"a"},
                      {"addresses":["10.244.2.5"],"conditions":{"ready":false,"serving":true,"terminating":true},"nodeName":"n2"}],
         "ports":[{"name":"http","protocol":"TCP","port":8080}]}
        """;

    private static RoutedNet.Datastore.Resources.Service Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return KubeServices.Read(document.RootElement);
    }

    [Fact]
    public void DeriveServices_ServiceAndItsSlice_JoinedWithEndpointsAndReadiness()
    {
        var view = new ClusterView
        {
            KubeServices = new() { ["shop/web"] = Read(CoreService) },
            KubeEndpointSlices = new() { ["shop/web-x7k2p"] = Read(Slice), ["shop/other-1"] = Read(Slice.Replace("\"kubernetes.io/service-name\":\"web\"", "\"kubernetes.io/service-name\":\"other\"", StringComparison.Ordinal)) },
        };

        view.DeriveServices();

        var service = Assert.Single(view.Services.Items.Values);
        Assert.Equal(("LoadBalancer", "Local", "198.51.100.7"), (service.Spec.Type, service.Spec.ExternalTrafficPolicy, service.Status.LoadBalancer!.Ingress[0].Ip));
        Assert.Equal([("n1", true), ("n2", false)], service.Endpoints.Select(e => (e.NodeName!, e.IsReady)));
    }

    [Fact]
    public void DeriveServices_SlicesNotListedYet_ServicesNotListed()
    {
        var view = new ClusterView { KubeServices = new() { ["shop/web"] = Read(CoreService) } };

        view.DeriveServices();

        Assert.False(view.Services.Listed);
    }
}
