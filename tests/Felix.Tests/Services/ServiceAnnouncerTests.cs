using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Datastore;
using RoutedNet.Datastore.Services;

namespace RoutedNet.Felix.Tests.Services;

/// <summary>Calico's Service advertisement semantics (issue 17), one rule per test.</summary>
public sealed class ServiceAnnouncerTests
{
    private static readonly BGPConfigurationSpec Config = new()
    {
        ServiceClusterIPs = [new("10.96.0.0/12")],
        ServiceExternalIPs = [new("192.0.2.0/24")],
        ServiceLoadBalancerIPs = [new("198.51.100.0/24"), new("fd00:198::/64")],
    };

    private static Node NodeNamed(string name, Dictionary<string, string>? labels = null) =>
        new() { Metadata = new ObjectMeta { Name = name, Labels = labels } };

    private static Service Svc(string policy, string type = ServiceSpec.TypeLoadBalancer, string[]? externalIPs = null, string[]? ingress = null, params ServiceEndpoint[] endpoints) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Spec = new ServiceSpec { Type = type, ClusterIP = "10.96.0.10", ExternalIPs = externalIPs, ExternalTrafficPolicy = policy },
        Status = new ServiceStatus { LoadBalancer = new ServiceLoadBalancerStatus { Ingress = (ingress ?? ["198.51.100.7"]).Select(ip => new LoadBalancerIngress { Ip = ip }).ToList() } },
        Endpoints = endpoints,
    };

    private static ServiceEndpoint On(string node, string address, bool? ready = true) =>
        new() { NodeName = node, Addresses = [address], Conditions = new EndpointConditions { Ready = ready } };

    private static HashSet<string> Prefixes(ServiceAnnouncements a) => a.Prefixes.Keys.Select(p => p.ToString()).ToHashSet();

    [Fact]
    public void Compute_RangesOnly_EveryRangeAnnouncedAndBlackholed()
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", []);

        Assert.Equal(["10.96.0.0/12", "192.0.2.0/24", "198.51.100.0/24", "fd00:198::/64"], Prefixes(result).Order());
        Assert.Equal(result.Prefixes.Keys.Order(RoutedNet.Felix.Dataplane.NetworkOrder.Instance), result.Ranges.Order(RoutedNet.Felix.Dataplane.NetworkOrder.Instance));
        Assert.Contains("serviceClusterIPs range", Assert.Single(result.Prefixes[IPNetwork.Parse("10.96.0.0/12")]), StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NoBgpConfiguration_NothingAnnounced()
    {
        Assert.Empty(ServiceAnnouncer.Compute(null, NodeNamed("n1"), "n1", [Svc("Local", endpoints: On("n1", "10.244.1.5"))]).Prefixes);
    }

    [Fact]
    public void Compute_LocalWithReadyEndpointHere_HostRoutesForClusterExternalAndLoadBalancerIPs()
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", externalIPs: ["192.0.2.7"], endpoints: On("n1", "10.244.1.5"))]);

        Assert.Superset(new HashSet<string> { "10.96.0.10/32", "192.0.2.7/32", "198.51.100.7/32" }, Prefixes(result));
        Assert.Contains("ready endpoint 10.244.1.5 on this node", Assert.Single(result.Prefixes[IPNetwork.Parse("198.51.100.7/32")]), StringComparison.Ordinal);
        Assert.DoesNotContain(IPNetwork.Parse("198.51.100.7/32"), result.Ranges);
    }

    [Theory]
    [InlineData("n2", true)]
    [InlineData("n1", false)]
    public void Compute_LocalWithoutReadyEndpointHere_NoHostRoute(string endpointNode, bool ready)
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", endpoints: On(endpointNode, "10.244.1.5", ready))]);

        Assert.Equal(4, result.Prefixes.Count);
    }

    [Fact]
    public void Compute_LocalEndpointOfOtherFamilyOnly_NoHostRouteForThatFamily()
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", ingress: ["198.51.100.7", "fd00:198::7"], endpoints: On("n1", "fd00:244::5"))]);

        Assert.Contains("fd00:198::7/128", Prefixes(result));
        Assert.DoesNotContain("198.51.100.7/32", Prefixes(result));
    }

    [Fact]
    public void Compute_ReadyUnset_CountsAsReady()
    {
        var endpoint = new ServiceEndpoint { NodeName = "n1", Addresses = ["10.244.1.5"] };

        Assert.Contains("198.51.100.7/32", Prefixes(ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", endpoints: endpoint)])));
    }

    [Fact]
    public void Compute_AddressOutsideEveryRange_NeverAnnounced()
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", externalIPs: ["203.0.113.9"], ingress: ["203.0.113.7"], endpoints: On("n1", "10.244.1.5"))]);

        Assert.DoesNotContain(result.Prefixes.Keys, p => p.BaseAddress.ToString().StartsWith("203.0.113.", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_ClusterPolicy_OnlyTheRanges()
    {
        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Cluster", externalIPs: ["192.0.2.7"], endpoints: On("n1", "10.244.1.5"))]);

        Assert.Equal(4, result.Prefixes.Count);
    }

    [Fact]
    public void Compute_AggregationDisabled_ClusterLoadBalancerIPFromEveryNodeWhileAnEndpointIsReady()
    {
        var config = Config with { ServiceLoadBalancerAggregation = BGPConfigurationSpec.AggregationDisabled };

        var withEndpoint = ServiceAnnouncer.Compute(config, NodeNamed("n1"), "n1", [Svc("Cluster", endpoints: On("n2", "10.244.2.5"))]);
        var without = ServiceAnnouncer.Compute(config, NodeNamed("n1"), "n1", [Svc("Cluster", endpoints: On("n2", "10.244.2.5", ready: false))]);

        Assert.Contains("198.51.100.7/32", Prefixes(withEndpoint));
        Assert.DoesNotContain("10.96.0.10/32", Prefixes(withEndpoint));
        Assert.DoesNotContain("198.51.100.7/32", Prefixes(without));
    }

    [Fact]
    public void Compute_ExcludeLabel_NoExternalOrLoadBalancerPrefixClusterStays()
    {
        var node = NodeNamed("n1", new() { [ServiceAnnouncer.ExcludeLabel] = "" });

        var result = ServiceAnnouncer.Compute(Config, node, "n1", [Svc("Local", externalIPs: ["192.0.2.7"], endpoints: On("n1", "10.244.1.5"))]);

        Assert.Equal(["10.96.0.0/12", "10.96.0.10/32"], Prefixes(result).Order());
        Assert.Equal([IPNetwork.Parse("10.96.0.0/12")], result.Ranges);
    }

    [Fact]
    public void Compute_TwoServicesShareAVip_OnePrefixTwoReasons()
    {
        var other = Svc("Local", endpoints: On("n1", "10.244.1.6")) with { Metadata = new ObjectMeta { Name = "api", Namespace = "shop" } };

        var result = ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [Svc("Local", endpoints: On("n1", "10.244.1.5")), other]);

        Assert.Equal(2, result.Prefixes[IPNetwork.Parse("198.51.100.7/32")].Count);
    }

    [Fact]
    public void Compute_HeadlessAndExternalName_NothingOfTheirOwn()
    {
        var headless = Svc("Local", type: ServiceSpec.TypeClusterIP, ingress: [], endpoints: On("n1", "10.244.1.5")) with { Spec = new ServiceSpec { ClusterIP = "None", ExternalTrafficPolicy = "Local" } };
        var externalName = Svc("Local", type: ServiceSpec.TypeExternalName, endpoints: On("n1", "10.244.1.5"));

        Assert.Equal(4, ServiceAnnouncer.Compute(Config, NodeNamed("n1"), "n1", [headless, externalName]).Prefixes.Count);
    }

    [Fact]
    public void DesiredState_Services_AdvertisedBlackholedAndNeverImported()
    {
        var view = new ClusterView();
        view.Nodes.ReplaceAll([NodeNamed("n1")]);
        view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = Config }]);
        view.Services.ReplaceAll([Svc("Local", endpoints: On("n1", "10.244.1.5"))]);

        var state = DesiredStateCalculator.Compute(view, "n1");

        Assert.Contains(IPNetwork.Parse("198.51.100.7/32"), state.Advertisements);
        Assert.Contains(IPNetwork.Parse("10.96.0.0/12"), state.Advertisements);
        Assert.True(state.AllBlackholes().ContainsKey(IPNetwork.Parse("198.51.100.0/24")));
        Assert.False(state.AllBlackholes().ContainsKey(IPNetwork.Parse("198.51.100.7/32")));
        Assert.Empty(state.Blackholes);
        Assert.False(new RoutedNet.Felix.Bgp.BgpImport(state.Pools, state.NodeOwned).Accepts(RoutedNet.Felix.Bgp.PeerType.Global, IPNetwork.Parse("198.51.100.7/32")));
    }

    [Fact]
    public void AdvertisementReasons_BlockRangeAndLocalVip_EachSaysWhy()
    {
        var view = new ClusterView();
        view.Nodes.ReplaceAll([NodeNamed("n1")]);
        view.Blocks.ReplaceAll([new IPAMBlock { Metadata = new ObjectMeta { Name = "b" }, Spec = new IPAMBlockSpec { Cidr = "10.244.1.0/24", Affinity = "host:n1" } }]);
        view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = Config }]);
        view.Services.ReplaceAll([Svc("Local", endpoints: On("n1", "10.244.1.5"))]);

        var reasons = AdvertisementReasons.Of(DesiredStateCalculator.Compute(view, "n1")).ToDictionary(a => a.Prefix.ToString());

        Assert.Equal([AdvertisementReasons.Block], reasons["10.244.1.0/24"].Reasons);
        Assert.True(reasons["10.244.1.0/24"].Blackholed);
        Assert.True(reasons["198.51.100.0/24"].Blackholed);
        Assert.False(reasons["198.51.100.7/32"].Blackholed);
        Assert.Contains("Service shop/web load-balancer IP, externalTrafficPolicy Local: ready endpoint 10.244.1.5 on this node", reasons["198.51.100.7/32"].Reasons);
    }
}
