using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Tests.Datastore;

public sealed class DesiredStateCalculatorTests
{
    private readonly ClusterView _view = new();

    public DesiredStateCalculatorTests()
    {
        _view.Nodes.ReplaceAll([NodeNamed("n1", "172.18.0.2/16"), NodeNamed("n2", "172.18.0.3/16"), NodeNamed("n3", "172.18.0.4/16")]);
        _view.WorkloadEndpoints.ReplaceAll([]);
        _view.Blocks.ReplaceAll([Block("10-244-1-0-24", "10.244.1.0/24", "n1"), Block("10-244-2-0-24", "10.244.2.0/24", "n2")]);
        _view.Peers.ReplaceAll([]);
        _view.BgpConfigurations.ReplaceAll([]);
        _view.Pools.ReplaceAll([]);
    }

    private static Node NodeNamed(string name, string address, uint? asNumber = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Spec = new NodeSpec { Addresses = [address], AsNumber = asNumber },
    };

    private static IPAMBlock Block(string name, string cidr, string? node, bool deleted = false) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new IPAMBlockSpec { Cidr = cidr, Affinity = node is null ? null : $"host:{node}", Deleted = deleted },
    };

    private static WorkloadEndpoint Endpoint(string name, string node, string? hostInterface, params string[] ips) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new WorkloadEndpointSpec { Pod = name, Node = node, Interface = "eth0", HostInterface = hostInterface, IPNetworks = ips },
    };

    private static BGPPeer Peer(string name, string ip, uint asNumber, string? node = null, string? selector = null) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new BGPPeerSpec { PeerIP = ip, AsNumber = asNumber, Node = node, NodeSelector = selector, Password = "s3cret", HoldTime = 9 },
    };

    private DesiredState Compute() => DesiredStateCalculator.Compute(_view, "n1");

    [Fact]
    public void Compute_LocalEndpoints_RoutedToHostVethOthersIgnored()
    {
        _view.WorkloadEndpoints.ReplaceAll([
            Endpoint("a", "n1", "rna", "10.244.1.5/32", "fd00::5/128"),
            Endpoint("b", "n2", "rnb", "10.244.2.7/32"),
        ]);

        var state = Compute();

        Assert.Equal(2, state.WorkloadRoutes.Count);
        Assert.Equal(RouteTarget.ToDevice("rna"), state.WorkloadRoutes[IPNetwork.Parse("10.244.1.5/32")]);
        Assert.Equal(RouteTarget.ToDevice("rna"), state.WorkloadRoutes[IPNetwork.Parse("fd00::5/128")]);
        Assert.Equal(new HostVeth(true, true), state.HostVeths["rna"]);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("all")]
    [InlineData("lo")]
    public void Compute_EndpointHostInterfaceNotAWorkloadInterface_SkippedAndReported(string hostInterface)
    {
        _view.WorkloadEndpoints.ReplaceAll([Endpoint("a", "n1", hostInterface, "10.244.1.5/32")]);

        var state = Compute();

        Assert.Empty(state.WorkloadRoutes);
        Assert.Empty(state.HostVeths);
        Assert.Contains(state.Problems, p => p.Contains("not a workload interface", StringComparison.Ordinal));
    }

    /// <summary>Issue 13 item 2: pods wired without a datastore are known from the plugin's records.</summary>
    [Fact]
    public void Compute_LocalAttachmentRecordsWithoutEndpoints_Routed()
    {
        _view.ReplaceLocalAttachments([new LocalAttachment("k8s", "rn0000000000001", "c1", "eth0", [IPNetwork.Parse("10.244.9.5/32")])]);

        var state = Compute();

        Assert.Equal(RouteTarget.ToDevice("rn0000000000001"), state.WorkloadRoutes[IPNetwork.Parse("10.244.9.5/32")]);
        Assert.Equal(new HostVeth(true, false), state.HostVeths["rn0000000000001"]);
        Assert.Empty(state.Problems);
    }

    [Fact]
    public void Compute_RecordAndAgreeingEndpoint_OneRouteNoProblem_DisagreeingEndpointReported()
    {
        _view.ReplaceLocalAttachments([new LocalAttachment("k8s", "rn0000000000001", "c1", "eth0", [IPNetwork.Parse("10.244.1.5/32")])]);
        _view.WorkloadEndpoints.ReplaceAll([Endpoint("a", "n1", "rn0000000000001", "10.244.1.5/32"), Endpoint("stale", "n1", "rn0000000000009", "10.244.1.5/32")]);

        var state = Compute();

        Assert.Equal(RouteTarget.ToDevice("rn0000000000001"), Assert.Single(state.WorkloadRoutes).Value);
        Assert.Equal(["WorkloadEndpoint stale: 10.244.1.5/32 is already routed to dev rn0000000000001"], state.Problems.Select(p => p.Replace("  ", " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compute_BlocksPodsAndAddress_NodeOwnedIsWhatNoPeerMayOverride()
    {
        _view.WorkloadEndpoints.ReplaceAll([
            Endpoint("in-block", "n1", "rna", "10.244.1.5/32"),
            Endpoint("borrowed", "n1", "rnb", "10.244.2.9/32"),
            Endpoint("elsewhere", "n2", "rnc", "10.244.2.7/32"),
        ]);

        var state = Compute();

        // The pod inside the block adds nothing to it; the borrowed address stands alone; the node's
        // address 172.18.0.2/16 gives its connected subnet.
        Assert.Equal(
            [IPNetwork.Parse("10.244.1.0/24"), IPNetwork.Parse("10.244.2.9/32"), IPNetwork.Parse("172.18.0.0/16")],
            state.NodeOwned);
    }

    [Theory]
    [InlineData(PeerType.Global, "0.0.0.0/0", true)]
    [InlineData(PeerType.NodeSpecific, "10.10.0.0/16", true)]
    [InlineData(PeerType.Global, "10.244.2.0/24", true)]
    [InlineData(PeerType.Global, "10.244.1.0/24", false)]
    [InlineData(PeerType.Global, "10.244.1.128/25", false)]
    [InlineData(PeerType.Global, "10.244.2.9/32", false)]
    [InlineData(PeerType.Global, "172.18.5.0/24", false)]
    [InlineData(PeerType.Mesh, "10.244.2.0/24", true)]
    [InlineData(PeerType.Mesh, "0.0.0.0/0", false)]
    [InlineData(PeerType.Mesh, "10.10.0.0/16", false)]
    public void BgpImport_FromComputedState_TakesAllFromBgpPeersButTheNodesOwnAndPoolsFromMesh(PeerType type, string prefix, bool accepted)
    {
        _view.Pools.ReplaceAll([new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16" } }]);
        _view.WorkloadEndpoints.ReplaceAll([Endpoint("borrowed", "n1", "rnb", "10.244.2.9/32")]);
        var state = Compute();

        var import = new BgpImport(state.Pools, state.NodeOwned);

        Assert.Equal(accepted, import.Accepts(type, IPNetwork.Parse(prefix)));
    }

    [Fact]
    public void Compute_EndpointWithoutHostInterface_SkippedAndReported()
    {
        _view.WorkloadEndpoints.ReplaceAll([Endpoint("a", "n1", null, "10.244.1.5/32")]);

        var state = Compute();

        Assert.Empty(state.WorkloadRoutes);
        Assert.Contains(state.Problems, p => p.Contains("WorkloadEndpoint a", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_BlocksAffineToThisNode_BlackholedAndAdvertised()
    {
        _view.Blocks.ReplaceAll([
            Block("mine", "10.244.1.0/24", "n1"),
            Block("theirs", "10.244.2.0/24", "n2"),
            Block("going", "10.244.9.0/24", "n1", deleted: true),
        ]);

        var state = Compute();

        Assert.Equal([IPNetwork.Parse("10.244.1.0/24")], state.Blackholes.Keys);
        Assert.Equal(RouteTarget.Blackhole, state.Blackholes[IPNetwork.Parse("10.244.1.0/24")]);
        Assert.Equal([IPNetwork.Parse("10.244.1.0/24")], state.Advertisements);
    }

    [Fact]
    public void Compute_PodAddressBorrowedFromAnotherNodesBlock_AdvertisedAsHostRoute()
    {
        _view.WorkloadEndpoints.ReplaceAll([Endpoint("a", "n1", "rna", "10.244.1.5/32"), Endpoint("b", "n1", "rnb", "10.244.2.200/32")]);

        var state = Compute();

        Assert.Equal(
            [IPNetwork.Parse("10.244.1.0/24"), IPNetwork.Parse("10.244.2.200/32")],
            state.Advertisements.Order(NetworkOrder.Instance));
    }

    [Fact]
    public void Compute_AsNumber_NodeThenBgpConfigurationThenDefault()
    {
        Assert.Equal((64512u, "default"), (Compute().AsNumber, Compute().AsNumberSource));

        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { AsNumber = 65001 } }]);
        Assert.Equal((65001u, "bgp-configuration"), (Compute().AsNumber, Compute().AsNumberSource));

        _view.Nodes.Upsert(NodeNamed("n1", "172.18.0.2/16", asNumber: 65100));
        Assert.Equal((65100u, "node"), (Compute().AsNumber, Compute().AsNumberSource));
    }

    [Fact]
    public void Compute_Mesh_PeersEveryOtherNodeHigherAddressPassive()
    {
        _view.Nodes.Upsert(NodeNamed("n3", "172.18.0.4/16", asNumber: 65003));

        var peers = Compute().Peers.OrderBy(p => p.Source, StringComparer.Ordinal).ToList();

        Assert.Equal(["Node/n2", "Node/n3"], peers.Select(p => p.Source));
        Assert.All(peers, p => Assert.Equal(PeerType.Mesh, p.Type));
        Assert.Equal(IPAddress.Parse("172.18.0.3"), peers[0].Address);
        Assert.Equal(64512u, peers[0].AsNumber);
        Assert.Equal(65003u, peers[1].AsNumber);
        Assert.All(peers, p => Assert.False(p.Passive));
        var fromN3 = DesiredStateCalculator.Compute(_view, "n3").Peers;
        Assert.All(fromN3, p => Assert.True(p.Passive));
    }

    [Fact]
    public void Compute_BgpPeerTowardsAnotherNode_HigherAddressListensOnly()
    {
        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMesh = false } }]);
        _view.Peers.ReplaceAll([
            Peer("rr-to-n2", "172.18.0.3", 64512, node: "n1"),
            Peer("n2-to-rr", "172.18.0.2", 64512, node: "n2"),
            Peer("tor", "172.18.0.1", 65000),
        ]);

        var fromN1 = Compute().Peers.ToDictionary(p => p.Source);
        var fromN2 = DesiredStateCalculator.Compute(_view, "n2").Peers.ToDictionary(p => p.Source);

        Assert.True(fromN2["BGPPeer/n2-to-rr"].Passive);
        Assert.False(fromN1["BGPPeer/rr-to-n2"].Passive);
        Assert.False(fromN2["BGPPeer/tor"].Passive);
        Assert.False(fromN1["BGPPeer/tor"].Passive);
    }

    [Fact]
    public void Compute_BgpPeers_NodesAndMeshAreNodesTheRouterIsNot()
    {
        // Which peers the agent offers ADD-PATH receive: routers (and reflectors of the fabric), not other Nodes.
        var mesh = Compute().Peers;
        Assert.NotEmpty(mesh);
        Assert.All(mesh, p => Assert.True(p.IsNode));
        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMesh = false } }]);
        _view.Peers.ReplaceAll([
            Peer("rr-to-n2", "172.18.0.3", 64512, node: "n1"),
            Peer("tor", "172.18.0.1", 65000),
        ]);

        var fromN1 = Compute().Peers.ToDictionary(p => p.Source);

        Assert.True(fromN1["BGPPeer/rr-to-n2"].IsNode);
        Assert.False(fromN1["BGPPeer/tor"].IsNode);
    }

    [Fact]
    public void Compute_MeshTurnedOff_NoMeshPeers()
    {
        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMesh = false } }]);

        Assert.Empty(Compute().Peers);
    }

    [Fact]
    public void Compute_BgpPeers_GlobalNodeSpecificAndSelectedKinds()
    {
        _view.Nodes.Upsert(NodeNamed("n1", "172.18.0.2/16", labels: new() { ["rack"] = "r1" }));
        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { NodeToNodeMesh = false } }]);
        _view.Peers.ReplaceAll([
            Peer("tor", "172.18.0.1", 65000),
            Peer("only-n1", "172.18.0.100", 65010, node: "n1"),
            Peer("only-n2", "172.18.0.101", 65011, node: "n2"),
            Peer("rack1", "172.18.0.102", 65012, selector: "rack == \"r1\""),
            Peer("rack2", "172.18.0.103", 65013, selector: "rack == \"r2\""),
        ]);

        var peers = Compute().Peers.ToDictionary(p => p.Source, StringComparer.Ordinal);

        Assert.Equal(["BGPPeer/only-n1", "BGPPeer/rack1", "BGPPeer/tor"], peers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PeerType.Global, peers["BGPPeer/tor"].Type);
        Assert.Equal(PeerType.NodeSpecific, peers["BGPPeer/only-n1"].Type);
        Assert.Equal(PeerType.NodeSpecific, peers["BGPPeer/rack1"].Type);
        Assert.Equal("s3cret", peers["BGPPeer/tor"].Password);
        Assert.Equal(TimeSpan.FromSeconds(9), peers["BGPPeer/tor"].HoldTime);
    }

    [Fact]
    public void Compute_BgpPeerWithBadSelector_SkippedAndReported()
    {
        _view.Peers.ReplaceAll([Peer("odd", "172.18.0.1", 65000, selector: "rack in {r1}")]);

        var state = Compute();

        Assert.DoesNotContain(state.Peers, p => p.Source == "BGPPeer/odd");
        Assert.Contains(state.Problems, p => p.Contains("BGPPeer odd", StringComparison.Ordinal));
    }

    private static BGPPeer SecretPeer(string name, string ip, string secret, string key) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new BGPPeerSpec { PeerIP = ip, AsNumber = 64500, PasswordSecretRef = new SecretKeyReference { Name = secret, Key = key } },
    };

    [Fact]
    public void Compute_PeerWithSecretRefKeyRead_ConfiguredWithTheKey()
    {
        _view.Peers.ReplaceAll([SecretPeer("tor", "172.18.0.1", "tor-bgp", "password")]);
        _view.PeerPasswords = new Dictionary<SecretKeyReference, string> { [new SecretKeyReference { Name = "tor-bgp", Key = "password" }] = "from-the-secret" };

        var state = Compute();

        Assert.Equal("from-the-secret", Assert.Single(state.Peers, p => p.Source == "BGPPeer/tor").Password);
        Assert.Empty(state.Problems);
    }

    [Fact]
    public void Compute_PeerWithSecretRefKeyNotReadYet_LeftOutNamingTheSecret()
    {
        _view.Peers.ReplaceAll([SecretPeer("tor", "172.18.0.1", "tor-bgp", "password"), Peer("plain", "172.18.0.9", 64501)]);
        _view.PeerPasswords = new Dictionary<SecretKeyReference, string> { [new SecretKeyReference { Name = "tor-bgp", Key = "other" }] = "x" };
        _view.PeerPasswordNamespace = "kube-system";

        var state = Compute();

        Assert.DoesNotContain(state.Peers, p => p.Source == "BGPPeer/tor");
        Assert.Contains(state.Peers, p => p.Source == "BGPPeer/plain");
        Assert.Contains("BGPPeer tor: no key \"password\" read from Secret kube-system/tor-bgp (yet); peer left out until it is", state.Problems);
    }

    [Fact]
    public void Compute_PeerWithSecretRefOnADatastoreWithoutSecrets_LeftOutAndReported()
    {
        _view.Peers.ReplaceAll([SecretPeer("tor", "172.18.0.1", "tor-bgp", "password")]);

        var state = Compute();

        Assert.DoesNotContain(state.Peers, p => p.Source == "BGPPeer/tor");
        Assert.Contains(state.Problems, p => p.Contains("needs the kubernetes datastore", StringComparison.Ordinal));
    }
}
