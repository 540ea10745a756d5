using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Datastore;

namespace RoutedNet.Felix.Tests.Datastore;

/// <summary>BGPPeer spec.filters and the policy fields, as the agent computes them for its sessions.</summary>
public sealed class BgpPeerPoliciesTests
{
    private readonly ClusterView _view = new();

    public BgpPeerPoliciesTests()
    {
        _view.Nodes.ReplaceAll([new Node { Metadata = new ObjectMeta { Name = "n1" }, Spec = new NodeSpec { Addresses = ["172.18.0.2/16"] } }]);
        _view.Blocks.ReplaceAll([]);
        _view.BgpConfigurations.ReplaceAll([]);
        _view.Pools.ReplaceAll([]);
        _view.BgpFilters.ReplaceAll([
            Filter("tor-in", new BGPFilterSpec
            {
                ImportV4 = [new BGPFilterRule { Cidr = "0.0.0.0/0", MatchOperator = "Equal", Action = "Accept" }, new BGPFilterRule { Cidr = "10.65.0.0/16", MatchOperator = "In", PrefixLength = new BGPFilterPrefixLength { Min = 24 }, Action = "Reject" }],
                ImportV6 = [new BGPFilterRule { Action = "Reject" }],
            }),
            Filter("no-transit", new BGPFilterSpec { ExportV4 = [new BGPFilterRule { Source = "RemotePeers", Action = "Reject" }], ImportV4 = [new BGPFilterRule { Action = "Reject" }] }),
        ]);
    }

    private static BGPFilter Filter(string name, BGPFilterSpec spec) => new() { Metadata = new ObjectMeta { Name = name }, Spec = spec };

    private BgpPeerConfig PeerWith(BGPPeerSpec spec)
    {
        _view.Peers.ReplaceAll([new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = spec with { PeerIP = "172.18.0.1", AsNumber = 64500 } }]);
        return DesiredStateCalculator.Compute(_view, "n1").Peers.Single();
    }

    [Fact]
    public void Compute_PeerFilters_RulesInTheFiltersOrderEachNamed()
    {
        var policy = PeerWith(new BGPPeerSpec { Filters = ["no-transit", "tor-in"] }).EffectivePolicy;

        Assert.Equal(
            ["BGPFilter/no-transit exportV4[0]", "BGPFilter/no-transit importV4[0]", "BGPFilter/tor-in importV4[0]", "BGPFilter/tor-in importV4[1]", "BGPFilter/tor-in importV6[0]"],
            policy.Rules.Select(r => r.Name));
        Assert.Equal(
            new BgpFilterRule(false, false, false, IPNetwork.Parse("10.65.0.0/16"), BgpFilterMatch.In, 24, null, false, "BGPFilter/tor-in importV4[1]"),
            policy.Rules[3]);
        Assert.True(policy.Rules[0] is { Export: true, Accept: false, RemotePeersOnly: true, Cidr: null });
    }

    [Fact]
    public void Compute_MissingFilter_ReportedTheOthersApplied()
    {
        _view.Peers.ReplaceAll([new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, Filters = ["gone", "tor-in"] } }]);

        var state = DesiredStateCalculator.Compute(_view, "n1");

        Assert.Contains("BGPPeer tor: BGPFilter \"gone\" does not exist; its rules are not applied", state.Problems);
        Assert.Equal(3, state.Peers.Single().EffectivePolicy.Rules.Count);
    }

    [Fact]
    public void Compute_PolicyFields_Mapped()
    {
        var policy = PeerWith(new BGPPeerSpec
        {
            LocalASNumber = 65010, NextHopMode = "Keep", NumAllowedLocalASNumbers = 1, TtlSecurity = 1, SourceAddress = "None", LocalPref = 200, AsPathPrepend = 2,
        }).EffectivePolicy;

        Assert.Equal(
            new BgpPeerPolicy { LocalAsNumber = 65010, NextHopMode = BgpNextHopMode.Keep, AllowedLocalAsNumbers = 1, TtlSecurity = 1, UseNodeIP = false, LocalPref = 200, AsPathPrepend = 2 },
            policy);
    }

    [Fact]
    public void Compute_SourceAddressAnAddress_BoundAsGiven()
    {
        var policy = PeerWith(new BGPPeerSpec { SourceAddress = "172.18.0.9" }).EffectivePolicy;

        Assert.Equal(IPAddress.Parse("172.18.0.9"), policy.SourceAddress);
        Assert.NotEqual(policy, PeerWith(new BGPPeerSpec { SourceAddress = "172.18.0.8" }).EffectivePolicy);
    }

    [Fact]
    public void Compute_Twice_EqualPeerConfigs()
    {
        // Equal by value, or every datastore change would reconfigure the session and ask the ToR for a refresh.
        var spec = new BGPPeerSpec { Filters = ["tor-in"], TtlSecurity = 1 };

        Assert.Equal(PeerWith(spec), PeerWith(spec));
        Assert.NotEqual(PeerWith(spec), PeerWith(spec with { Filters = ["no-transit"] }));
    }

    [Fact]
    public void Compute_PrefixAdvertisements_EveryPeerGetsThemNamesResolved()
    {
        _view.Nodes.ReplaceAll([
            new Node { Metadata = new ObjectMeta { Name = "n1" }, Spec = new NodeSpec { Addresses = ["172.18.0.2/16"] } },
            new Node { Metadata = new ObjectMeta { Name = "n2" }, Spec = new NodeSpec { Addresses = ["172.18.0.3/16"] } },
        ]);
        _view.Peers.ReplaceAll([new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500 } }]);
        _view.BgpConfigurations.ReplaceAll([new BGPConfiguration
        {
            Metadata = new ObjectMeta { Name = "default" },
            Spec = new BGPConfigurationSpec
            {
                Communities = [new BGPCommunityKV { Name = "rack-a", Value = "65000:100" }],
                PrefixAdvertisements = [new BGPPrefixAdvertisement { Cidr = "10.65.0.0/16", Communities = ["rack-a", "65000:1:2", "nope"] }],
            },
        }]);

        var state = DesiredStateCalculator.Compute(_view, "n1");

        BgpPrefixCommunity[] expected =
        [
            new(IPNetwork.Parse("10.65.0.0/16"), (65000u << 16) | 100, null),
            new(IPNetwork.Parse("10.65.0.0/16"), null, (65000u, 1u, 2u)),
        ];
        Assert.Equal(2, state.Peers.Count);
        Assert.All(state.Peers, p => Assert.Equal(expected, p.EffectivePolicy.PrefixCommunities));
        Assert.Contains(state.Problems, p => p.Contains("\"nope\" is neither a named community", StringComparison.Ordinal));
    }
}
