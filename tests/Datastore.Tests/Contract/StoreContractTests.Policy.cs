using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

/// <summary>
/// The policy kinds: namespaced objects keyed NAMESPACE/NAME, Namespaces labelled with their name.
/// The namespaces x and y exist (the kubernetes datastore's fixture makes them, as a cluster would have them).
/// </summary>
public abstract partial class StoreContractTests
{
    private static KubernetesNetworkPolicy NewKubernetesPolicy(string ns, string name, string app) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new KubernetesNetworkPolicySpec
        {
            PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            PolicyTypes = ["Ingress"],
            Ingress = [new KubernetesIngressRule { Ports = [new KubernetesPort { Protocol = "TCP", Port = 80 }, new KubernetesPort { Port = "http" }] }],
        },
    };

    [Fact]
    public async Task NamespacedKind_SameNameInTwoNamespaces_TwoObjectsByNamespaceSlashName()
    {
        await Store.CreateAsync(NewKubernetesPolicy("x", "web", "x-web"));
        await Store.CreateAsync(NewKubernetesPolicy("y", "web", "y-web"));

        var x = await Store.GetAsync<KubernetesNetworkPolicy>("x/web");
        Assert.Equal("x", x.Metadata.Namespace);
        Assert.Equal("web", x.Name);
        Assert.Equal("x-web", x.Spec.PodSelector.MatchLabels!["app"]);
        Assert.Equal("http", x.Spec.Ingress![0].Ports![1].Port!.StringValue);
        Assert.Equal(80, x.Spec.Ingress![0].Ports![0].Port!.IntValue);
        Assert.Equal(["x/web", "y/web"], (await Store.ListAsync<KubernetesNetworkPolicy>()).Items.Select(p => p.Metadata.Namespace + "/" + p.Name));
        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => Store.CreateAsync(NewKubernetesPolicy("x", "web", "again")));

        await Store.DeleteAsync<KubernetesNetworkPolicy>("x/web");

        Assert.Null(await Store.TryGetAsync<KubernetesNetworkPolicy>("x/web"));
        Assert.Equal("y-web", (await Store.GetAsync<KubernetesNetworkPolicy>("y/web")).Spec.PodSelector.MatchLabels!["app"]);
    }

    [Fact]
    public async Task NamespacedKind_WithoutNamespace_Refused()
    {
        var e = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(new NetworkPolicy { Metadata = new ObjectMeta { Name = "p" } }));
        Assert.Contains("metadata.namespace is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalicoPolicies_RoundTripTheirSpec()
    {
        var spec = new PolicySpec
        {
            Tier = "admin",
            Order = 10.5,
            Selector = "app == 'web'",
            Types = ["Ingress", "Egress"],
            Ingress = [new PolicyRule { Action = "Deny", Protocol = "TCP", Source = new EntityRule { NamespaceSelector = "ns == 'z'", NotNets = ["10.0.0.0/8"] }, Destination = new EntityRule { Ports = [80, "8000:8080", "http"] } }],
            Egress = [new PolicyRule { Action = "Pass", Protocol = 1, Icmp = new IcmpFields { Type = 8 } }],
        };
        await Store.CreateAsync(new NetworkPolicy { Metadata = new ObjectMeta { Name = "p", Namespace = "x" }, Spec = spec });
        await Store.CreateAsync(new GlobalNetworkPolicy { Metadata = new ObjectMeta { Name = "g" }, Spec = spec with { NamespaceSelector = "all()" } });

        var np = await Store.GetAsync<NetworkPolicy>("x/p");
        var gnp = await Store.GetAsync<GlobalNetworkPolicy>("g");

        Assert.Equal(10.5, np.Spec.Order);
        Assert.Equal(["80", "8000:8080", "http"], np.Spec.Ingress![0].Destination!.Ports!.Select(p => p.ToString()));
        Assert.Equal(1, np.Spec.Egress![0].Protocol!.IntValue);
        Assert.Equal(8, np.Spec.Egress![0].Icmp!.Type);
        Assert.Equal("all()", gnp.Spec.NamespaceSelector);
        Assert.Null(gnp.Metadata.Namespace);
    }

    [Fact]
    public async Task Namespace_Written_CarriesItsNameLabel()
    {
        // A name of its own: on the kubernetes datastore namespaces are the cluster's and outlive the test.
        var name = "contract-" + Guid.NewGuid().ToString("N")[..8];
        await Store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = "a" } } });

        var ns = await Store.GetAsync<Namespace>(name);

        Assert.Equal(name, ns.Metadata.Labels![Namespace.NameLabel]);
        Assert.Equal("a", ns.Metadata.Labels["team"]);
        var updated = await Store.UpdateAsync(ns with { Metadata = ns.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "b" } } });
        Assert.Equal(name, updated.Metadata.Labels![Namespace.NameLabel]);
        Assert.Equal("b", (await Store.GetAsync<Namespace>(name)).Metadata.Labels!["team"]);
    }
}
