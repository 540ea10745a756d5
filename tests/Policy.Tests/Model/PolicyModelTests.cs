using System.Net;
using RoutedNet.Datastore.Resources;
using static RoutedNet.Policy.Tests.Model.ModelFixture;

namespace RoutedNet.Policy.Tests.Model;

public sealed class PolicyModelTests
{
    private static readonly PolicyEndpoint XA = Endpoint("x/a", "10.0.1.1", new() { ["pod"] = "a" }, "web",
        new NamedPort("http", Protocols.Tcp, 8080), new NamedPort("dns", Protocols.Udp, 53));
    private static readonly PolicyEndpoint XB = Endpoint("x/b", "10.0.1.2", new() { ["pod"] = "b" }, "db");
    private static readonly PolicyEndpoint YA = Endpoint("y/a", "10.0.2.1", new() { ["pod"] = "a" }, "web",
        new NamedPort("http", Protocols.Tcp, 9090));
    private static readonly PolicyEndpoint[] All = [XA, XB, YA];

    [Fact]
    public void Evaluate_NoPolicy_AllowedNotSelected()
    {
        var verdict = Tcp(Snapshot(All), XB, XA, 80);
        Assert.True(verdict.Allowed);
        Assert.Equal(DecisionReason.NotSelected, verdict.Ingress!.Reason);
        Assert.Equal(DecisionReason.NotSelected, verdict.Egress!.Reason);
        Assert.Equal("allow: no policy selects it", verdict.Ingress.Describe());
    }

    [Fact]
    public void Evaluate_SelectedNoRuleMatches_EndOfTierDenyNamingThePolicy()
    {
        var snapshot = Snapshot(All, Np("x/deny-ingress", new PolicySpec { Selector = "all()", Types = ["Ingress"] }));
        var verdict = Tcp(snapshot, XB, XA, 80);
        Assert.False(verdict.Allowed);
        Assert.True(verdict.Egress!.Allowed);
        Assert.Equal(DecisionReason.EndOfTier, verdict.Ingress!.Reason);
        Assert.Equal("default", verdict.Ingress.Tier);
        Assert.Equal("deny: tier default: selected by x/deny-ingress, no rule matched", verdict.Ingress.Describe());
    }

    [Fact]
    public void Evaluate_LogOnlyPolicy_IsolatesTheEndpoint()
    {
        // calico#3801: Log does not decide, and the tier still ends in Deny.
        var snapshot = Snapshot(All, Np("x/log", new PolicySpec { Selector = "pod == 'a'", Ingress = [Rule("Log")] }));
        Assert.False(Tcp(snapshot, XB, XA, 80).Allowed);
        Assert.True(Tcp(snapshot, XA, XB, 80).Allowed);
    }

    [Fact]
    public void Evaluate_LogThenAllow_AllowDecidesWithItsIndex()
    {
        var snapshot = Snapshot(All, Np("x/log-allow", new PolicySpec { Ingress = [Rule("Log"), Rule("Allow")] }));
        var verdict = Tcp(snapshot, XB, XA, 80);
        Assert.True(verdict.Allowed);
        Assert.Equal((DecisionReason.Rule, "x/log-allow", 1), (verdict.Ingress!.Reason, verdict.Ingress.Policy, verdict.Ingress.RuleIndex));
    }

    [Fact]
    public void Evaluate_AdminDenyBeatsDefaultAllow_AdminPassDefersToDefault()
    {
        var allowAll = Np("x/allow-all", new PolicySpec { Ingress = [Rule("Allow")] });
        var adminDeny = Gnp("deny-from-b", new PolicySpec
        {
            Tier = "admin",
            Ingress = [Rule("Deny", source: new EntityRule { Selector = "pod == 'b'" }), Rule("Pass")],
        });
        var snapshot = Snapshot(All, allowAll, adminDeny);
        var denied = Tcp(snapshot, XB, XA, 80);
        Assert.False(denied.Allowed);
        Assert.Equal(("admin", "deny-from-b", 0), (denied.Ingress!.Tier, denied.Ingress.Policy, denied.Ingress.RuleIndex));
        var passed = Tcp(snapshot, YA, XA, 80);
        Assert.True(passed.Allowed);
        Assert.Equal(("default", "x/allow-all"), (passed.Ingress!.Tier, passed.Ingress.Policy));
        Assert.Equal(["admin", "default"], passed.Ingress.Tiers.Select(t => t.Tier));
        Assert.Equal("pass", passed.Ingress.Tiers[0].Outcome);
    }

    [Fact]
    public void Evaluate_PassInTheOnlySelectingTier_Allowed()
    {
        var snapshot = Snapshot(All, Gnp("pass-all", new PolicySpec { Tier = "admin", Ingress = [Rule("Pass")] }));
        var verdict = Tcp(snapshot, XB, XA, 80);
        Assert.True(verdict.Allowed);
        Assert.Equal(DecisionReason.Passed, verdict.Ingress!.Reason);
    }

    [Fact]
    public void Evaluate_BaselineDenies_WhatNoEarlierTierDecided()
    {
        var baseline = Gnp("baseline-deny", new PolicySpec { Tier = "baseline", Ingress = [Rule("Deny")] });
        var allowFromB = Np("x/allow-b", new PolicySpec { Selector = "pod == 'a'", Ingress = [Rule("Allow", source: new EntityRule { Selector = "pod == 'b'" }), Rule("Pass")] });
        var snapshot = Snapshot(All, baseline, allowFromB);
        Assert.True(Tcp(snapshot, XB, XA, 80).Allowed);
        Assert.False(Tcp(snapshot, YA, XA, 80).Allowed);
        Assert.Equal("baseline", Tcp(snapshot, YA, XA, 80).Ingress!.Tier);
        Assert.False(Tcp(snapshot, XA, XB, 80).Allowed);
    }

    [Fact]
    public void Evaluate_Order_LowerFirstNullLastTiesByName()
    {
        var deny = Np("x/b-deny", new PolicySpec { Order = 5, Ingress = [Rule("Deny")] });
        var allow = Np("x/a-allow", new PolicySpec { Order = 5, Ingress = [Rule("Allow")] });
        var unordered = Np("x/0-deny", new PolicySpec { Ingress = [Rule("Deny")] });
        var verdict = Tcp(Snapshot(All, deny, unordered, allow), XB, XA, 80);
        Assert.Equal("x/a-allow", verdict.Ingress!.Policy);
        Assert.Equal(["x/a-allow", "x/b-deny", "x/0-deny"], verdict.Ingress.Tiers[0].SelectedBy);
        var first = Np("x/z-deny", new PolicySpec { Order = 1, Ingress = [Rule("Deny")] });
        Assert.Equal("x/z-deny", Tcp(Snapshot(All, allow, first), XB, XA, 80).Ingress!.Policy);
    }

    [Fact]
    public void Evaluate_NetworkPolicy_SelectsOnlyItsNamespace_RuleSelectorMeansItsNamespace()
    {
        var snapshot = Snapshot(All, Np("x/from-a", new PolicySpec { Selector = "all()", Ingress = [Rule("Allow", source: new EntityRule { Selector = "pod == 'a'" })] }));
        Assert.True(Tcp(snapshot, XA, XB, 80).Allowed);
        Assert.False(Tcp(snapshot, YA, XB, 80).Allowed);
        Assert.True(Tcp(snapshot, XB, YA, 80).Allowed);
    }

    [Fact]
    public void Evaluate_GlobalPolicy_RuleSelectorMeansEveryNamespace_NamespaceSelectorNarrowsIt()
    {
        var anywhere = Gnp("from-a", new PolicySpec { Selector = "pod == 'b'", Ingress = [Rule("Allow", source: new EntityRule { Selector = "pod == 'a'" })] });
        Assert.True(Tcp(Snapshot(All, anywhere), YA, XB, 80).Allowed);
        var onlyX = Gnp("from-a-in-x", new PolicySpec { Selector = "pod == 'b'", Ingress = [Rule("Allow", source: new EntityRule { Selector = "pod == 'a'", NamespaceSelector = "ns == 'x'" })] });
        Assert.False(Tcp(Snapshot(All, onlyX), YA, XB, 80).Allowed);
        Assert.True(Tcp(Snapshot(All, onlyX), XA, XB, 80).Allowed);
        var inY = Gnp("in-y", new PolicySpec { NamespaceSelector = "ns == 'y'", Ingress = [Rule("Deny")] });
        Assert.True(Tcp(Snapshot(All, inY), XA, XB, 80).Allowed);
        Assert.False(Tcp(Snapshot(All, inY), XA, YA, 80).Allowed);
    }

    [Fact]
    public void Evaluate_EndpointLabels_CarryNamespaceAndServiceAccount()
    {
        var snapshot = Snapshot(All, Gnp("web-sa", new PolicySpec
        {
            Selector = "routednet.io/serviceaccount == 'web' && routednet.io/namespace == 'y' && routednet.io/orchestrator == 'k8s'",
            Ingress = [Rule("Deny")],
        }));
        Assert.False(Tcp(snapshot, XA, YA, 80).Allowed);
        Assert.True(Tcp(snapshot, YA, XA, 80).Allowed);
    }

    [Fact]
    public void Evaluate_NamedPort_ResolvedOnTheDestinationForTheRuleProtocol()
    {
        var snapshot = Snapshot(All, Gnp("http", new PolicySpec
        {
            Ingress = [Rule("Allow", "TCP", destination: new EntityRule { Ports = ["http"] })],
        }));
        Assert.True(Tcp(snapshot, XB, XA, 8080).Allowed);
        Assert.False(Tcp(snapshot, XB, XA, 9090).Allowed);
        Assert.True(Tcp(snapshot, XB, YA, 9090).Allowed);
        Assert.False(Tcp(snapshot, XA, XB, 8080).Allowed);
        var udpDns = Snapshot(All, Gnp("dns-as-tcp", new PolicySpec { Ingress = [Rule("Allow", "TCP", destination: new EntityRule { Ports = ["dns"] })] }));
        Assert.False(Tcp(udpDns, XB, XA, 53).Allowed);
        Assert.False(PolicyModel.Evaluate(udpDns, Flow.Between(XB, XA, Protocols.Udp, 53)).Allowed);
    }

    [Fact]
    public void Evaluate_PortsRangesNotPortsProtocols()
    {
        var snapshot = Snapshot(All, Gnp("ports", new PolicySpec
        {
            Ingress =
            [
                Rule("Deny", "TCP", destination: new EntityRule { Ports = ["8000:8010"], NotPorts = [8005] }),
                new PolicyRule { Action = "Allow", NotProtocol = "UDP" },
            ],
        }));
        Assert.False(Tcp(snapshot, XB, XA, 8000).Allowed);
        Assert.False(Tcp(snapshot, XB, XA, 8010).Allowed);
        Assert.True(Tcp(snapshot, XB, XA, 8005).Allowed);
        Assert.True(Tcp(snapshot, XB, XA, 8011).Allowed);
        Assert.False(PolicyModel.Evaluate(snapshot, Flow.Between(XB, XA, Protocols.Udp, 80)).Allowed);
        Assert.True(PolicyModel.Evaluate(snapshot, Flow.Between(XB, XA, Protocols.Sctp, 80)).Allowed);
        Assert.True(PolicyModel.Evaluate(snapshot, Flow.Between(XB, XA, 132, 80)).Allowed);
    }

    [Fact]
    public void Evaluate_NetsNotNetsNotSelector()
    {
        var yb = Endpoint("y/b", "10.0.2.2", new() { ["pod"] = "b" });
        var snapshot = Snapshot([.. All, yb], Gnp("nets", new PolicySpec
        {
            Selector = "pod == 'a'",
            Ingress = [Rule("Allow", source: new EntityRule { Nets = ["10.0.0.0/16"], NotNets = ["10.0.1.0/24"], NotSelector = "pod == 'b'" })],
        }));
        Assert.True(Tcp(snapshot, YA, XA, 80).Allowed);
        Assert.False(Tcp(snapshot, XB, XA, 80).Allowed);   // 10.0.1.2 is in notNets
        Assert.False(Tcp(snapshot, yb, XA, 80).Allowed);   // pod b is the notSelector
        Assert.True(PolicyModel.Evaluate(snapshot, new Flow(new FlowEnd(IPAddress.Parse("10.0.2.9"), null), FlowEnd.Of(XA), Protocols.Tcp, 80)).Allowed);
        Assert.False(PolicyModel.Evaluate(snapshot, new Flow(new FlowEnd(IPAddress.Parse("10.0.1.9"), null), FlowEnd.Of(XA), Protocols.Tcp, 80)).Allowed);
        Assert.False(PolicyModel.Evaluate(snapshot, new Flow(new FlowEnd(IPAddress.Parse("192.0.2.1"), null), FlowEnd.Of(XA), Protocols.Tcp, 80)).Allowed);
    }

    [Fact]
    public void Evaluate_NonEndpointEnds_OnlyTheEndpointSideIsJudged_SelectorsNeverMatchThem()
    {
        var outside = new FlowEnd(IPAddress.Parse("192.0.2.7"), null);
        var snapshot = Snapshot(All, Np("x/egress-to-pods", new PolicySpec { Egress = [Rule("Allow", destination: new EntityRule { Selector = "all()" })] }));
        var verdict = PolicyModel.Evaluate(snapshot, new Flow(FlowEnd.Of(XA), outside, Protocols.Tcp, 443));
        Assert.False(verdict.Allowed);
        Assert.Null(verdict.Ingress);
        Assert.False(verdict.Egress!.Allowed);
        var inbound = PolicyModel.Evaluate(snapshot, new Flow(outside, FlowEnd.Of(XA), Protocols.Tcp, 443));
        Assert.True(inbound.Allowed);
        Assert.Null(inbound.Egress);
        Assert.Equal(snapshot.FindEndpoint(IPAddress.Parse("10.0.1.2")), XB);
    }

    [Fact]
    public void Evaluate_ServiceAccounts_ByNameAndByPolicySelector()
    {
        var byName = Snapshot(All, Gnp("from-web", new PolicySpec
        {
            Selector = "pod == 'b'",
            Ingress = [Rule("Allow", source: new EntityRule { ServiceAccounts = new ServiceAccountMatch { Names = ["web"] } })],
        }));
        Assert.True(Tcp(byName, XA, XB, 80).Allowed);
        Assert.True(Tcp(byName, YA, XB, 80).Allowed);
        var scopedNp = Snapshot(All, Np("x/from-web", new PolicySpec
        {
            Selector = "pod == 'b'",
            Ingress = [Rule("Allow", source: new EntityRule { ServiceAccounts = new ServiceAccountMatch { Selector = "routednet.io/name == 'web'" } })],
        }));
        Assert.True(Tcp(scopedNp, XA, XB, 80).Allowed);
        Assert.False(Tcp(scopedNp, YA, XB, 80).Allowed);
        var dbOnly = Snapshot(All, Gnp("db-isolated", new PolicySpec { ServiceAccountSelector = "routednet.io/name == 'db'", Ingress = [Rule("Deny")] }));
        Assert.False(Tcp(dbOnly, XA, XB, 80).Allowed);
        Assert.True(Tcp(dbOnly, XB, XA, 80).Allowed);
    }

    [Fact]
    public void Evaluate_IcmpTypeCodeAndIpVersion()
    {
        var snapshot = Snapshot(All, Gnp("echo", new PolicySpec
        {
            Ingress =
            [
                new PolicyRule { Action = "Allow", IpVersion = 6 },
                new PolicyRule { Action = "Allow", Protocol = "ICMP", Icmp = new IcmpFields { Type = 8, Code = 0 } },
            ],
        }));
        Assert.True(PolicyModel.Evaluate(snapshot, Flow.Between(XB, XA, Protocols.Icmp, null) with { IcmpType = 8, IcmpCode = 0 }).Allowed);
        Assert.False(PolicyModel.Evaluate(snapshot, Flow.Between(XB, XA, Protocols.Icmp, null) with { IcmpType = 13, IcmpCode = 0 }).Allowed);
        Assert.False(Tcp(snapshot, XB, XA, 80).Allowed);
    }

    [Fact]
    public void Evaluate_TypesDefaulting_EgressRulesOnlyMeansEgressOnly()
    {
        var snapshot = Snapshot(All, Np("x/egress", new PolicySpec { Egress = [Rule("Deny")] }));
        Assert.False(Tcp(snapshot, XA, XB, 80).Allowed);
        Assert.Equal(DecisionReason.NotSelected, Tcp(snapshot, XA, XB, 80).Ingress!.Reason);
        Assert.True(Tcp(snapshot, YA, XA, 80).Allowed);
    }

    [Fact]
    public void Snapshot_InvalidPolicy_LeftOutAndNamed()
    {
        var snapshot = Snapshot(All,
            Np("x/bad", new PolicySpec { Selector = "pod ==", Ingress = [Rule("Deny")] }),
            Gnp("bad-tier", new PolicySpec { Tier = "platform" }));
        Assert.Equal(["x/bad", "bad-tier"], snapshot.Invalid.Select(i => i.Id));
        Assert.Contains("spec.selector: selector \"pod ==\": expected a quoted value at position 6", snapshot.Invalid[0].Reason, StringComparison.Ordinal);
        Assert.Contains("spec.tier \"platform\" must be one of admin, default, baseline", snapshot.Invalid[1].Reason, StringComparison.Ordinal);
        Assert.True(Tcp(snapshot, XB, XA, 80).Allowed);
    }
}
