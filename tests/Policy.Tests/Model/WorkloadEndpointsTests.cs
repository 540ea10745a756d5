using System.Net;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy.Tests.Model;

public sealed class WorkloadEndpointsTests
{
    private static WorkloadEndpoint Wep(string name, string ns, string pod, string cidr, IReadOnlyDictionary<string, string>? namespaceLabels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new WorkloadEndpointSpec
        {
            Pod = pod,
            Namespace = ns,
            Node = "node1",
            IPNetworks = [cidr],
            ServiceAccount = "web-sa",
            NamespaceLabels = namespaceLabels,
            Ports = [new EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }, new EndpointPort { Name = "dns", Protocol = "UDP", Port = 53 }],
        },
    };

    [Fact]
    public void ToPolicyEndpoints_OnePerPod_EveryAddressLabelsAccountAndNamedPorts()
    {
        var endpoints = WorkloadEndpoints.ToPolicyEndpoints([Wep("e1", "x", "a", "10.0.0.1/32"), Wep("e2", "x", "a", "fd00::1/128"), Wep("e3", "y", "a", "10.0.0.2/32")]);

        Assert.Equal(["x/a", "y/a"], endpoints.Select(e => e.Id));
        var xa = endpoints[0];
        Assert.Equal([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fd00::1")], xa.Addresses);
        Assert.Equal("web", xa.SelectorLabels["app"]);
        Assert.Equal("web-sa", xa.SelectorLabels[PolicyEndpoint.ServiceAccountLabel]);
        Assert.Equal("x", xa.SelectorLabels[PolicyEndpoint.NamespaceLabel]);
        Assert.Equal([new NamedPort("http", Protocols.Tcp, 8080), new NamedPort("dns", Protocols.Udp, 53)], xa.Ports);
        Assert.Equal("node1", xa.Node);
    }

    [Fact]
    public void Namespaces_ObjectsWin_EndpointsFillInTheRestWithTheNameLabel()
    {
        var objects = new[] { new Namespace { Metadata = new ObjectMeta { Name = "x", Labels = new Dictionary<string, string> { ["team"] = "a", [Namespace.NameLabel] = "x" } } } };
        var weps = new[] { Wep("e1", "x", "a", "10.0.0.1/32", new Dictionary<string, string> { ["team"] = "stale" }), Wep("e2", "y", "b", "10.0.0.2/32", new Dictionary<string, string> { ["team"] = "b" }) };

        var namespaces = WorkloadEndpoints.Namespaces(objects, weps).ToDictionary(n => n.Name);

        Assert.Equal("a", namespaces["x"].Metadata.Labels!["team"]);
        Assert.Equal("b", namespaces["y"].Metadata.Labels!["team"]);
        Assert.Equal("y", namespaces["y"].Metadata.Labels![Namespace.NameLabel]);
    }
}
