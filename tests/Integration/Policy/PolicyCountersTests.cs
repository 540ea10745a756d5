using System.Net;
using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Per-policy counters as a user reads them from the published binaries: pings through a
/// NetworkPolicy's Allow rule and its Deny rule move exactly those rules' series on the agent's
/// /metrics (and no other policy's), one that no rule decides moves its tier's end-of-tier count,
/// `routednetctl policy status` shows the same numbers, and a killed and restarted agent reports
/// them unchanged (the kernel's counters, adopted with the table).
/// </summary>
public sealed class PolicyCountersTests : IAsyncLifetime
{
    // Inside the node's own new namespace: nothing else listens there.
    private const int MetricsPort = 9091;

    // ping's default echo request: 56 data bytes + 8 ICMP + 20 IPv4 header.
    private const int EchoBytes = 84;

    private PolicyNode _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await PolicyNode.StartAsync(metricsPort: MetricsPort);
        _http = NamespaceHttpClient.Create(_node.Node.Ns);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    private static string Series(string family, string tier, string ns, string policy, int rule, string action) =>
        $$"""{{family}}{tier="{{tier}}",namespace="{{ns}}",policy="{{policy}}",direction="ingress",rule="{{rule}}",action="{{action}}"}""";

    private static string WebAllow(string family = "routednet_policy_packets_total") => Series(family, "default", "x", "web", 0, "allow");

    private static string WebDeny(string family = "routednet_policy_packets_total") => Series(family, "default", "x", "web", 1, "deny");

    private static string IdleAllow => Series("routednet_policy_packets_total", "admin", "", "idle", 0, "allow");

    private static string EndOfTier(string tier, string family = "routednet_policy_implicit_drop_packets_total") =>
        $$"""{{family}}{tier="{{tier}}",direction="ingress",reason="end-of-tier"}""";

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await _http.GetAsync($"http://127.0.0.1:{MetricsPort}/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Scrapes until the web policy's allow and deny rules and the default tier's end show these
    /// counts (the agent reads the kernel at most once a second).
    /// </summary>
    private async Task<PrometheusScrape> ScrapeUntilAsync(int allowed, int denied, int endOfTier)
    {
        PrometheusScrape scrape = null!;
        await Eventually.Until(
            async () =>
            {
                scrape = await ScrapeAsync();
                return scrape.Samples.GetValueOrDefault(WebAllow(), -1) == allowed && scrape.Samples.GetValueOrDefault(WebDeny(), -1) == denied
                    && scrape.Samples.GetValueOrDefault(EndOfTier("default"), -1) == endOfTier;
            },
            $"x/web's allow rule to count {allowed}, its deny rule {denied}, the default tier's end {endOfTier}");
        return scrape;
    }

    [Fact]
    public async Task Traffic_AllowAndDenyRules_MoveExactlyTheirCounters_InMetricsAndPolicyStatus_AcrossAnAgentRestart()
    {
        var a = await _node.AddLabelledPodAsync("a", "a");
        var b = await _node.AddLabelledPodAsync("b", "b");
        var c = await _node.AddLabelledPodAsync("c", "c");
        var d = await _node.AddLabelledPodAsync("d", "d");
        await _node.ApplyAsync(new NetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "x" },
            Spec = new PolicySpec
            {
                Selector = "app == 'b'",
                Types = [PolicySpec.TypeIngress],
                Ingress =
                [
                    new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = "app == 'a'" } },
                    new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = "app == 'c'" } },
                ],
            },
        });
        // In force on this node too (it selects a), but no traffic reaches a.
        await _node.ApplyAsync(new GlobalNetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "idle" },
            Spec = new PolicySpec
            {
                Tier = PolicySpec.TierAdmin,
                Selector = "app == 'a'",
                Types = [PolicySpec.TypeIngress],
                Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = "app == 'b'" } }],
            },
        });
        var before = await ScrapeUntilAsync(allowed: 0, denied: 0, endOfTier: 0);
        Assert.Equal("counter", before.Types["routednet_policy_packets_total"]);
        Assert.Equal("counter", before.Types["routednet_policy_bytes_total"]);

        // Each ping is a new connection (its own ICMP id): policy judges its first packet, the
        // reply is established and never reaches policy.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(PolicyNode.Pings(a.Pod, b.Address), "x/a -> x/b is allowed");
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.False(PolicyNode.Pings(c.Pod, b.Address), "x/c -> x/b is denied");
        }
        // No rule of x/web decides for x/d: the default tier's end drops it.
        Assert.False(PolicyNode.Pings(d.Pod, b.Address), "x/d -> x/b ends the default tier");

        var after = await ScrapeUntilAsync(allowed: 3, denied: 2, endOfTier: 1);
        Assert.Equal(3 * EchoBytes, after.Value(WebAllow("routednet_policy_bytes_total")));
        Assert.Equal(2 * EchoBytes, after.Value(WebDeny("routednet_policy_bytes_total")));
        Assert.Equal(0, after.Value(IdleAllow));
        Assert.Equal(EchoBytes, after.Value(EndOfTier("default", "routednet_policy_implicit_drop_bytes_total")));
        Assert.Equal(0, after.Value(EndOfTier("admin")));
        Assert.Equal(
            [IdleAllow, WebAllow(), WebDeny()],
            after.Samples.Keys.Where(k => k.StartsWith("routednet_policy_packets_total{", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // Where a user debugging looks: the node's policy status, per policy and per rule.
        var text = Ctl("policy", "status");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Matches(@"(?m)^x/web\s+default\s+ingress\s+2\s+5\s+420$", text.Stdout);
        Assert.Matches(@"(?m)^idle\s+admin\s+ingress\s+1\s+0\s+0$", text.Stdout);
        Assert.Matches(@"(?m)^end of tier default\s+ingress\s+1\s+84$", text.Stdout);
        var wide = Ctl("policy", "status", "-o", "wide");
        Assert.Matches(@"(?m)^x/web\s+default\s+ingress\s+1\s+deny\s+2\s+168$", wide.Stdout);
        var json = Ctl("policy", "status", "-o", "json");
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var rules = document.RootElement.GetProperty("ruleCounters").EnumerateArray()
                .Select(r => (r.GetProperty("policy").GetString(), r.GetProperty("rule").GetInt32(), r.GetProperty("action").GetString(), r.GetProperty("packets").GetInt64()))
                .ToList();
            Assert.Equal([("idle", 0, "allow", 0L), ("x/web", 0, "allow", 3L), ("x/web", 1, "deny", 2L)], rules);
        }

        // The counters are the kernel's: a killed agent's successor adopts the table and reports
        // the same numbers, then goes on counting.
        await _node.Node.KillAndRestartAsync(() => Task.CompletedTask);
        await ScrapeUntilAsync(allowed: 3, denied: 2, endOfTier: 1);
        Assert.True(PolicyNode.Pings(a.Pod, b.Address), "x/a -> x/b after the restart");
        await ScrapeUntilAsync(allowed: 4, denied: 2, endOfTier: 1);
    }

    private ProcessResult Ctl(params string[] args) =>
        Proc.Run(RepoPaths.Binary("routednetctl"), [.. args, "--node-socket", _node.Node.ApiSocket]);
}
