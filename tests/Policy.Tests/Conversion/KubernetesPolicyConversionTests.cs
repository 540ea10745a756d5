using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy.Tests.Conversion;

public sealed class KubernetesPolicyConversionTests
{
    private static KubernetesNetworkPolicy Policy(KubernetesNetworkPolicySpec spec) =>
        new() { Metadata = new ObjectMeta { Name = "web", Namespace = "x" }, Spec = spec };

    [Fact]
    public void Convert_Metadata_TierDefaultOrder1000CalicoName()
    {
        var converted = KubernetesPolicyConversion.Convert(Policy(new KubernetesNetworkPolicySpec
        {
            PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        }));
        Assert.Equal("knp.default.web", converted.Name);
        Assert.Equal("x", converted.Metadata.Namespace);
        Assert.Equal("default", converted.Spec.Tier);
        Assert.Equal(1000, converted.Spec.Order);
        Assert.Equal("app == \"web\"", converted.Spec.Selector);
        Assert.Equal(["Ingress"], converted.Spec.Types!);
        Assert.Empty(converted.Spec.Ingress!);
    }

    [Fact]
    public void Convert_PolicyTypes_DefaultAsKubernetes()
    {
        var egressOnly = new KubernetesNetworkPolicySpec { Egress = [new KubernetesEgressRule()] };
        Assert.Equal(["Ingress", "Egress"], KubernetesPolicyConversion.TypesOf(egressOnly));
        Assert.Equal(["Ingress"], KubernetesPolicyConversion.TypesOf(new KubernetesNetworkPolicySpec()));
        Assert.Equal(["Egress"], KubernetesPolicyConversion.TypesOf(new KubernetesNetworkPolicySpec { PolicyTypes = ["Egress"] }));
    }

    [Fact]
    public void Convert_IngressPeersTimesProtocols_OneAllowRuleEach()
    {
        var converted = KubernetesPolicyConversion.Convert(Policy(new KubernetesNetworkPolicySpec
        {
            Ingress =
            [
                new KubernetesIngressRule
                {
                    From =
                    [
                        new KubernetesPeer { PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["pod"] = "b" } } },
                        new KubernetesPeer { NamespaceSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["ns"] = "y" } } },
                    ],
                    Ports =
                    [
                        new KubernetesPort { Port = 80 },
                        new KubernetesPort { Protocol = "UDP", Port = 53 },
                        new KubernetesPort { Port = 8000, EndPort = 8080 },
                        new KubernetesPort { Protocol = "TCP", Port = "serve-81-tcp" },
                    ],
                },
            ],
        }));
        var rules = converted.Spec.Ingress!;
        Assert.Equal(4, rules.Count);
        Assert.All(rules, r => Assert.Equal("Allow", r.Action));
        Assert.Equal("pod == \"b\"", rules[0].Source!.Selector);
        Assert.Null(rules[0].Source!.NamespaceSelector);
        Assert.Equal("TCP", rules[0].Protocol!.ToString());
        Assert.Equal(["80", "8000:8080", "serve-81-tcp"], rules[0].Destination!.Ports!.Select(p => p.ToString()));
        Assert.Equal("UDP", rules[1].Protocol!.ToString());
        Assert.Equal(["53"], rules[1].Destination!.Ports!.Select(p => p.ToString()));
        Assert.Equal("all()", rules[2].Source!.Selector);
        Assert.Equal("ns == \"y\"", rules[2].Source!.NamespaceSelector);
    }

    [Fact]
    public void Convert_EgressIpBlockWithExcept_NetsAndNotNets()
    {
        var converted = KubernetesPolicyConversion.Convert(Policy(new KubernetesNetworkPolicySpec
        {
            PolicyTypes = ["Egress"],
            Egress = [new KubernetesEgressRule { To = [new KubernetesPeer { IpBlock = new KubernetesIPBlock { Cidr = "10.0.0.0/8", Except = ["10.1.0.0/16"] } }] }],
        }));
        var rule = Assert.Single(converted.Spec.Egress!);
        Assert.Null(rule.Protocol);
        Assert.Equal(["10.0.0.0/8"], rule.Destination!.Nets!);
        Assert.Equal(["10.1.0.0/16"], rule.Destination!.NotNets!);
        Assert.Null(rule.Destination!.Selector);
        Assert.Equal(["Egress"], converted.Spec.Types!);
    }

    [Fact]
    public void Convert_ProtocolWithoutPort_WholeProtocolAbsorbsNumberedPorts()
    {
        var converted = KubernetesPolicyConversion.Convert(Policy(new KubernetesNetworkPolicySpec
        {
            Ingress = [new KubernetesIngressRule { Ports = [new KubernetesPort { Port = 80 }, new KubernetesPort { Protocol = "TCP" }] }],
        }));
        var rule = Assert.Single(converted.Spec.Ingress!);
        Assert.Equal("TCP", rule.Protocol!.ToString());
        Assert.Null(rule.Destination);
        Assert.Null(rule.Source);
    }
}
