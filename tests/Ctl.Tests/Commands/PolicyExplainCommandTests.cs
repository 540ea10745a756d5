using System.Text.Json;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>`policy explain` over a sqlite store holding pods (WorkloadEndpoints), namespaces and policies.</summary>
public class PolicyExplainCommandTests
{
    private const string World = """
        apiVersion: routednet.io/v1
        kind: WorkloadEndpoint
        metadata:
          name: node1-x-a-eth0
          labels: {pod: a}
        spec:
          pod: a
          namespace: x
          node: node1
          interface: eth0
          ipNetworks: [10.244.1.1/32]
          ports:
          - {name: web, protocol: TCP, port: 8080}
        ---
        apiVersion: routednet.io/v1
        kind: WorkloadEndpoint
        metadata:
          name: node2-y-b-eth0
          labels: {pod: b}
        spec:
          pod: b
          namespace: y
          node: node2
          interface: eth0
          ipNetworks: [10.244.2.2/32]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: x, labels: {ns: x}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: y, labels: {ns: y}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-ingress, namespace: x}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web-from-y, namespace: x}
        spec:
          podSelector: {matchLabels: {pod: a}}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {ns: y}}
            ports:
            - {protocol: TCP, port: web}
        ---
        apiVersion: routednet.io/v1
        kind: GlobalNetworkPolicy
        metadata: {name: admin-pass}
        spec:
          tier: admin
          ingress:
          - action: Pass
        """;

    [Fact]
    public async Task Explain_AllowedByANamedPortRule_PrintsTiersPoliciesAndTheRule()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("w.yaml", World))).Exit);

        var explain = await ctl.RunAsync("policy", "explain", "--from", "y/b", "--to", "x/a", "--port", "8080/tcp");

        Assert.True(explain.Exit == 0, explain.Stderr);
        Assert.Equal(
            """
            Flow:     y/b (10.244.2.2) -> x/a (10.244.1.1), TCP port 8080
            Egress at the source y/b:
              no policy selects y/b for egress
              => allow: no policy selects it
            Ingress at the destination x/a:
              tier admin: selected by admin-pass -> pass (admin-pass ingress rule 0)
              tier default: selected by x/knp.default.deny-ingress, x/knp.default.web-from-y -> allow (x/knp.default.web-from-y ingress rule 0)
              => allow: tier default, policy x/knp.default.web-from-y ingress rule 0
            Verdict:  allowed

            """.ReplaceLineEndings("\n"),
            explain.Stdout);
    }

    [Fact]
    public async Task Explain_NoRuleMatches_EndOfTierDenyNamesTheSelectingPolicies()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("w.yaml", World))).Exit);

        var explain = await ctl.RunAsync("policy", "explain", "--from", "y/b", "--to", "x/a", "--port", "80/tcp");

        Assert.True(explain.Exit == 0, explain.Stderr);
        Assert.Contains("  => deny: tier default: selected by x/knp.default.deny-ingress, x/knp.default.web-from-y, no rule matched\n", explain.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("Verdict:  denied (ingress at x/a)\n", explain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Json_CarriesBothSidesAndTheVerdict()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("w.yaml", World))).Exit);

        var explain = await ctl.RunAsync("policy", "explain", "--from", "x/a", "--to", "y/b", "--port", "53/udp", "-o", "json");

        Assert.True(explain.Exit == 0, explain.Stderr);
        var root = JsonDocument.Parse(explain.Stdout).RootElement;
        Assert.True(root.GetProperty("allowed").GetBoolean());
        Assert.Equal("UDP", root.GetProperty("protocol").GetString());
        Assert.Equal(53, root.GetProperty("port").GetInt32());
        Assert.Equal("not-selected", root.GetProperty("egress").GetProperty("reason").GetString());
        Assert.Equal("y/b", root.GetProperty("ingress").GetProperty("endpoint").GetString());
        Assert.Equal("passed", root.GetProperty("ingress").GetProperty("reason").GetString());
        Assert.Equal("admin", root.GetProperty("ingress").GetProperty("tiers")[0].GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Explain_ToAnAddressOutsideThePods_OnlyTheSourceSideIsJudged()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("w.yaml", World))).Exit);

        var explain = await ctl.RunAsync("policy", "explain", "--from", "x/a", "--to", "192.0.2.9", "--port", "443");

        Assert.True(explain.Exit == 0, explain.Stderr);
        Assert.Contains("Ingress at the destination 192.0.2.9:\n  not a pod: nothing to evaluate on this side\n", explain.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("Verdict:  allowed\n", explain.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "x/nope", "--from x/nope: no such pod (no WorkloadEndpoint for pod nope in namespace x)", 1)]
    [InlineData("--from", "nope", "--from \"nope\": expected NAMESPACE/POD or an IP address", 2)]
    [InlineData("--port", "80/tpc", "--port \"80/tpc\": unknown protocol \"tpc\"", 2)]
    [InlineData("--port", "70000/tcp", "--port \"70000/tcp\": the port must be 1–65535", 2)]
    [InlineData("--port", "udp", "--port \"udp\": UDP needs a port, e.g. 80/udp", 2)]
    public async Task Explain_BadInput_OneLineError(string option, string value, string expected, int exit)
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("w.yaml", World))).Exit);
        var args = new Dictionary<string, string> { ["--from"] = "x/a", ["--to"] = "y/b", ["--port"] = "80/tcp" };
        args[option] = value;

        var explain = await ctl.RunAsync(["policy", "explain", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(exit, explain.Exit);
        var line = Assert.Single(explain.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
