using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>apply/get/delete of the policy kinds with the sqlite datastore, as a user runs routednetctl.</summary>
public class PolicyResourceCommandTests
{
    // What a user applies with kubectl, unchanged.
    private const string KubernetesPolicy = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: allow-web
          namespace: x
        spec:
          podSelector:
            matchLabels: {app: web}
          policyTypes: [Ingress]
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: team, operator: In, values: [a, b]}]
            ports:
            - {protocol: TCP, port: 80}
            - {port: http}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: x
          labels: {team: a}
        """;

    private const string CalicoPolicies = """
        apiVersion: routednet.io/v1
        kind: GlobalNetworkPolicy
        metadata:
          name: deny-from-z
        spec:
          tier: admin
          order: 10
          selector: all()
          types: [Ingress]
          ingress:
          - action: Deny
            source:
              namespaceSelector: ns == "z"
          - action: Pass
        ---
        apiVersion: routednet.io/v1
        kind: NetworkPolicy
        metadata:
          name: allow-web
          namespace: y
        spec:
          selector: app == 'web'
          ingress:
          - action: Allow
            protocol: TCP
            destination:
              ports: [80, "8000:8080", http]
        """;

    [Fact]
    public async Task Apply_KubernetesYaml_StoredInItsOwnShapeAndShownLikeKubectl()
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("k.yaml", KubernetesPolicy));

        Assert.True(apply.Exit == 0, apply.Stderr);
        Assert.Contains("KubernetesNetworkPolicy \"x/allow-web\" applied", apply.Stdout, StringComparison.Ordinal);
        await using (var store = await ctl.OpenStoreAsync())
        {
            var stored = await store.GetAsync<KubernetesNetworkPolicy>("x/allow-web");
            Assert.Equal("x", stored.Metadata.Namespace);
            Assert.Equal("http", stored.Spec.Ingress![0].Ports![1].Port!.StringValue);
            var ns = await store.GetAsync<Namespace>("x");
            Assert.Equal("x", ns.Metadata.Labels![Namespace.NameLabel]);
            Assert.Equal("a", ns.Metadata.Labels["team"]);
        }
        var yaml = await ctl.RunAsync("get", "knp", "allow-web", "-n", "x", "-o", "yaml");
        Assert.True(yaml.Exit == 0, yaml.Stderr);
        Assert.StartsWith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("namespace: x", yaml.Stdout, StringComparison.Ordinal);
        var table = await ctl.RunAsync("get", "networkpolicies.networking.k8s.io");
        Assert.True(table.Exit == 0, table.Stderr);
        Assert.Contains("NAMESPACE", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("app == \"web\"", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_CalicoKinds_GetListsThemDeleteByNamespaceAndName()
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("c.yaml", CalicoPolicies));
        Assert.True(apply.Exit == 0, apply.Stderr);

        var gnps = await ctl.RunAsync("get", "gnp");
        Assert.Contains("deny-from-z", gnps.Stdout, StringComparison.Ordinal);
        Assert.Contains("admin", gnps.Stdout, StringComparison.Ordinal);
        var nps = await ctl.RunAsync("get", "networkpolicy", "-n", "y");
        Assert.Contains("allow-web", nps.Stdout, StringComparison.Ordinal);
        Assert.Empty((await ctl.RunAsync("get", "networkpolicy", "-n", "x")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        var missing = await ctl.RunAsync("get", "networkpolicy", "allow-web");
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("NetworkPolicy \"default/allow-web\" not found", missing.Stderr, StringComparison.Ordinal);

        var delete = await ctl.RunAsync("delete", "networkpolicy", "y/allow-web");
        Assert.True(delete.Exit == 0, delete.Stderr);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<NetworkPolicy>()).Items);
        Assert.Single((await store.ListAsync<GlobalNetworkPolicy>()).Items);
    }

    [Fact]
    public async Task Apply_SameNameInTwoNamespaces_TwoObjects()
    {
        await using var ctl = new CtlProcess();
        var two = KubernetesPolicy.Split("---")[0] + "---\n" + KubernetesPolicy.Split("---")[0].Replace("namespace: x", "namespace: y", StringComparison.Ordinal);

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("two.yaml", two));

        Assert.True(apply.Exit == 0, apply.Stderr);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Equal(["x/allow-web", "y/allow-web"], (await store.ListAsync<KubernetesNetworkPolicy>()).Items.Select(p => p.Metadata.Namespace + "/" + p.Name));
    }

    [Theory]
    [InlineData("selector: app = 'web'", "spec.selector: selector \"app = 'web'\": expected ==, !=, in, not in, contains, starts with or ends with after \"app\" at position 4")]
    [InlineData("tier: platform", "spec.tier \"platform\" must be one of admin, default, baseline")]
    [InlineData("ingress: [{action: Alow}]", "spec.ingress[0].action \"Alow\" must be one of Allow, Deny, Pass, Log")]
    [InlineData("ingress: [{action: Allow, protocol: TCP, destination: {ports: [70000]}}]", "spec.ingress[0].destination.ports[0]: port 70000 is out of range 1–65535")]
    [InlineData("ingress: [{action: Allow, destination: {ports: [80]}}]", "spec.ingress[0]: ports and notPorts need protocol TCP, UDP, SCTP or UDPLite")]
    [InlineData("ingress: [{action: Allow, protocol: TCPP}]", "spec.ingress[0].protocol \"TCPP\" must be TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a number 1–255")]
    [InlineData("egress: [{action: Deny, destination: {nets: [10.0.0.0/33]}}]", "spec.egress[0].destination.nets[0]: \"10.0.0.0/33\" is not a CIDR or an address")]
    [InlineData("namespaceSelector: ns == 'x'", "spec.namespaceSelector is for GlobalNetworkPolicy")]
    [InlineData("types: [Inbound]", "spec.types: \"Inbound\" must be Ingress or Egress")]
    public async Task Apply_InvalidNetworkPolicy_OneLineNamingTheFieldNothingWritten(string specLine, string expected)
    {
        await using var ctl = new CtlProcess();
        var text = $"apiVersion: routednet.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bad\n  namespace: x\nspec:\n  {specLine}\n";

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("bad.yaml", text));

        Assert.Equal(2, apply.Exit);
        var line = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("(NetworkPolicy \"bad\")", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Empty((await store.ListAsync<NetworkPolicy>()).Items);
    }

    [Theory]
    [InlineData("podSelector: {matchExpressions: [{key: app, operator: Within, values: [a]}]}", "spec.podSelector: matchExpressions key \"app\": unknown operator \"Within\"")]
    [InlineData("podSelector: {}\n  ingress: [{ports: [{protocol: TCP, port: 0}]}]", "spec.ingress[0].ports[0].port: port 0 is out of range 1–65535")]
    [InlineData("podSelector: {}\n  ingress: [{ports: [{protocol: ICMP, port: 1}]}]", "spec.ingress[0].ports[0].protocol \"ICMP\" must be TCP, UDP or SCTP")]
    [InlineData("podSelector: {}\n  ingress: [{ports: [{port: http, endPort: 90}]}]", "spec.ingress[0].ports[0].endPort needs a numeric port")]
    [InlineData("podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]}]", "spec.egress[0].to[0].ipBlock.except[0] 11.0.0.0/16 must be a strict subset of cidr 10.0.0.0/8")]
    [InlineData("podSelector: {}\n  policyTypes: [ingress]", "spec.policyTypes: \"ingress\" must be Ingress or Egress")]
    public async Task Apply_InvalidKubernetesNetworkPolicy_OneLineNamingTheField(string specLines, string expected)
    {
        await using var ctl = new CtlProcess();
        var text = $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bad\n  namespace: x\nspec:\n  {specLines}\n";

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("bad.yaml", text));

        Assert.Equal(2, apply.Exit);
        var line = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: networking.k8s.io/v2\nkind: NetworkPolicy\nmetadata:\n  name: x\n", "apiVersion \"networking.k8s.io/v2\" is not known for NetworkPolicy")]
    [InlineData("apiVersion: routednet.io/v1\nkind: KubernetesNetworkPolicy\nmetadata:\n  name: x\n", "unknown kind \"KubernetesNetworkPolicy\"")]
    [InlineData("apiVersion: routednet.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: knp.default.x\n  namespace: y\n", "names starting \"knp.default.\" belong to converted Kubernetes NetworkPolicies")]
    [InlineData("apiVersion: routednet.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: Bad_NS\n", "metadata.namespace \"Bad_NS\" is invalid")]
    [InlineData("apiVersion: routednet.io/v1\nkind: GlobalNetworkPolicy\nmetadata:\n  name: p\n  namespace: x\n", "metadata.namespace \"x\": GlobalNetworkPolicy is cluster-scoped")]
    public async Task Apply_WrongKindOrPlace_OneLine(string text, string expected)
    {
        await using var ctl = new CtlProcess();

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("bad.yaml", text));

        Assert.NotEqual(0, apply.Exit);
        var line = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_NamespacedWithoutNamespace_GoesToDefaultAsKubectl()
    {
        await using var ctl = new CtlProcess();
        var text = KubernetesPolicy.Split("---")[0].Replace("  namespace: x\n", "", StringComparison.Ordinal);

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("d.yaml", text));

        Assert.True(apply.Exit == 0, apply.Stderr);
        Assert.Contains("\"default/allow-web\" applied", apply.Stdout, StringComparison.Ordinal);
        var get = await ctl.RunAsync("get", "knp", "allow-web", "-o", "json");
        Assert.True(get.Exit == 0, get.Stderr);
        var delete = await ctl.RunAsync("delete", "-f", ctl.File("d.yaml", text));
        Assert.True(delete.Exit == 0, delete.Stderr);
        Assert.Contains("KubernetesNetworkPolicy \"default/allow-web\" deleted", delete.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_LogOnlyPolicy_AppliedWithAWarningThatItIsolates()
    {
        await using var ctl = new CtlProcess();
        var text = "apiVersion: routednet.io/v1\nkind: GlobalNetworkPolicy\nmetadata:\n  name: log-all\nspec:\n  ingress: [{action: Log}]\n";

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("log.yaml", text));

        Assert.Equal(0, apply.Exit);
        Assert.Contains("GlobalNetworkPolicy \"log-all\" applied", apply.Stdout, StringComparison.Ordinal);
        var warning = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("warning: GlobalNetworkPolicy \"log-all\": every ingress rule is Log, which decides nothing: the pods it selects are denied ingress at the end of tier default unless another policy there allows or passes it", warning);
    }
}
