using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// What a kubelet probe and a Prometheus scrape see over HTTP on the agent's health and metrics
/// ports: n1 (the agent under test, both ports on, their hosts the defaults) meshes with n2 on one
/// link, has two workload endpoints and a global BGPPeer nobody answers. Requests start inside n1's
/// namespace, as a probe on the node would.
/// </summary>
public sealed class AgentHealthTests : IAsyncLifetime
{
    private const int HealthPort = 9099;
    private const int MetricsPort = 9091;
    private const string N1 = "172.18.0.2";
    private const string N2 = "172.18.0.3";
    private const string SilentPeer = "172.18.0.99";

    /// <summary>The session states /metrics labels (RFC 4271 §8.2.2), lower case.</summary>
    private static readonly string[] States = ["idle", "connect", "active", "opensent", "openconfirm", "established"];

    private NodeAgentScope _n1 = null!;
    private NodeAgentScope _n2 = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _n1 = await NodeAgentScope.StartAsync("n1", N1, healthPort: HealthPort, metricsPort: MetricsPort);
        _http = NamespaceHttpClient.Create(_n1.Ns);
        await _n1.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16" } });
        await _n1.Store.CreateAffineBlockAsync("10.244.1.0/24", "n1");
        await _n1.Store.CreateAffineBlockAsync("10.244.2.0/24", "n2");
        await _n1.Store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "silent" }, Spec = new BGPPeerSpec { PeerIP = SilentPeer, AsNumber = 65001 } });
        _n1.AddVeth("rnth0");
        _n1.AddVeth("rnth1");
        await _n1.AddEndpointAsync("pod-a", "rnth0", "10.244.1.5/32");
        await _n1.AddEndpointAsync("pod-b", "rnth1", "10.244.1.6/32");
        _n2 = await NodeAgentScope.StartAsync(
            "n2", N2, ns => ns.Link("eth0", _n1.Ns, "eth0", $"{N2}/24", "172.18.0.2/24"), _n1.Datastore);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _n2.DisposeAsync();
        await _n1.DisposeAsync();
    }

    private Task<HttpResponseMessage> GetAsync(string path, int port = HealthPort, string host = "127.0.0.1") => _http.GetAsync($"http://{host}:{port}{path}");

    private Task<HttpResponseMessage> GetMetricsAsync() => GetAsync("/metrics", MetricsPort);

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await GetMetricsAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>One peer's series of <paramref name="family"/>, labels in the order /metrics writes them.</summary>
    private static string PeerSeries(string family, string peer, string type) =>
        $$"""{{family}}{peer="{{peer}}",type="{{type}}"}""";

    private static string PeerState(string peer, string type, string state) =>
        $$"""routednet_bgp_peer_state{peer="{{peer}}",type="{{type}}",state="{{state}}"}""";

    private static bool Established(PrometheusScrape scrape, string peer, string type) =>
        scrape.Samples.GetValueOrDefault(PeerState(peer, type, "established")) == 1;

    /// <summary>
    /// Polls <paramref name="condition"/> and, on every round until it holds, GETs /readyz: any answer
    /// but 200 (or none, as a kubelet probe counts it) fails the test. Eventually treats a throwing
    /// round as "not yet", so the first bad answer is recorded and ends the wait instead.
    /// </summary>
    private async Task StaysReadyUntil(Func<Task<bool>> condition, string what)
    {
        string? notReady = null;
        await Eventually.Until(
            async () =>
            {
                try
                {
                    using var readyz = await GetAsync("/readyz");
                    if (readyz.StatusCode != HttpStatusCode.OK)
                    {
                        notReady = $"{(int)readyz.StatusCode}: {await readyz.Content.ReadAsStringAsync()}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    notReady = $"no answer: {e.Message}";
                }
                return notReady is not null || await condition();
            },
            what);
        Assert.True(notReady is null, $"/readyz answered {notReady} while waiting for {what}");
    }

    [Fact]
    public async Task Health_AgentSyncedAndProgrammed_LivezAndReadyzAnswer200()
    {
        using var livez = await GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, livez.StatusCode);
        Assert.Equal("ok\n", await livez.Content.ReadAsStringAsync());

        // StartAsync returned once the API said ready; /readyz reads the same registry, so no wait here.
        using var readyz = await GetAsync("/readyz");
        var body = await readyz.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        foreach (var component in new[] { "bgp", "datastore", "routes", "sysctls" })
        {
            Assert.Contains($"{component}: ready", body, StringComparison.Ordinal);
        }

        // The gRPC API is never served on a TCP port, nor /metrics on the health port.
        using var api = await GetAsync("/routednet.node.v1.NodeApi/GetNodeStatus");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        using var metrics = await GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task Health_DefaultHost_OnlyOnLoopbackNotOnTheNodeAddress()
    {
        using var onLoopback = await GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, onLoopback.StatusCode);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync("/livez", host: N1));
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task Metrics_OwnPortOnEveryAddress_ServesOnlyMetrics()
    {
        using var onNodeAddress = await GetAsync("/metrics", MetricsPort, N1);
        Assert.Equal(HttpStatusCode.OK, onNodeAddress.StatusCode);
        Assert.Contains("routednet_node_ready 1", await onNodeAddress.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var readyz = await GetAsync("/readyz", MetricsPort);
        Assert.Equal(HttpStatusCode.NotFound, readyz.StatusCode);
    }

    [Fact]
    public async Task Metrics_EndpointsAndMeshPeer_PrometheusTextWithLiveValues()
    {
        PrometheusScrape scrape = null!;
        await Eventually.Until(
            async () =>
            {
                scrape = await ScrapeAsync();
                return scrape.Samples.GetValueOrDefault("""routednet_routes_programmed{kind="workload"}""") == 2
                    && scrape.Samples.GetValueOrDefault("""routednet_routes_programmed{kind="bgp"}""") == 1
                    && Established(scrape, N2, "mesh");
            },
            "the scrape to show both pod routes, n2's block and the mesh session Established");

        using (var response = await GetMetricsAsync())
        {
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        }
        var expectedTypes = new Dictionary<string, string>
        {
            ["routednet_node_uptime_seconds"] = "gauge",
            ["routednet_node_ready"] = "gauge",
            ["routednet_bgp_peer_state"] = "gauge",
            ["routednet_bgp_peer_uptime_seconds"] = "gauge",
            ["routednet_bgp_peer_prefixes_received"] = "gauge",
            ["routednet_bgp_peer_prefixes_accepted"] = "gauge",
            ["routednet_bgp_peer_prefixes_advertised"] = "gauge",
            ["routednet_bgp_peer_flaps_total"] = "counter",
            ["routednet_routes_programmed"] = "gauge",
            ["routednet_reconcile_duration_seconds"] = "histogram",
            ["routednet_reconcile_failures_total"] = "counter",
        };
        foreach (var (family, type) in expectedTypes)
        {
            Assert.True(scrape.Types.TryGetValue(family, out var actual) && actual == type, $"# TYPE {family} {type} missing (got {actual})");
        }

        Assert.Equal(1, scrape.Value("routednet_node_ready"));
        Assert.InRange(scrape.Value("routednet_node_uptime_seconds"), 0.001, 600);
        Assert.Equal(1, scrape.Value("""routednet_routes_programmed{kind="blackhole"}"""));

        // Exactly one state per peer is 1; the mesh session is up, the silent BGPPeer's never was.
        Assert.Equal(1, States.Sum(s => scrape.Value(PeerState(N2, "mesh", s))));
        Assert.Equal(0, scrape.Value(PeerState(SilentPeer, "global", "established")));
        Assert.InRange(scrape.Value(PeerSeries("routednet_bgp_peer_uptime_seconds", N2, "mesh")), 0.001, 600);
        Assert.Equal(0, scrape.Value(PeerSeries("routednet_bgp_peer_uptime_seconds", SilentPeer, "global")));
        // n2 announces its one block, inside the pool; n1 announces its own block (its pods are inside it).
        Assert.Equal(1, scrape.Value(PeerSeries("routednet_bgp_peer_prefixes_received", N2, "mesh")));
        Assert.Equal(1, scrape.Value(PeerSeries("routednet_bgp_peer_prefixes_accepted", N2, "mesh")));
        Assert.Equal(1, scrape.Value(PeerSeries("routednet_bgp_peer_prefixes_advertised", N2, "mesh")));
        Assert.Equal(0, scrape.Value(PeerSeries("routednet_bgp_peer_flaps_total", N2, "mesh")));

        Assert.True(scrape.Value("""routednet_reconcile_duration_seconds_count{reconciler="routes"}""") > 0, "no route reconcile pass was timed");
        Assert.Equal(
            scrape.Value("""routednet_reconcile_duration_seconds_count{reconciler="routes"}"""),
            scrape.Value("""routednet_reconcile_duration_seconds_bucket{reconciler="routes",le="+Inf"}"""));
        Assert.Equal(0, scrape.Value("""routednet_reconcile_failures_total{reconciler="routes"}"""));
    }

    [Fact]
    public async Task Readyz_GlobalPeerNobodyAnswers_Stays200AndPeerNotEstablished()
    {
        // At least one connection attempt to the silent peer has failed: the moment a flapping
        // readiness would have shown it.
        await StaysReadyUntil(
            async () => (await _n1.Api.ListPeersAsync(new ListPeersRequest())).Peers.Any(p => p.Address == SilentPeer && p.LastError.Length > 0),
            "n1 fails to reach the silent BGPPeer");

        var scrape = await ScrapeAsync();
        Assert.Equal(1, scrape.Value("routednet_node_ready"));
        Assert.Equal(0, scrape.Value(PeerState(SilentPeer, "global", "established")));
        Assert.Equal(1, States.Sum(s => scrape.Value(PeerState(SilentPeer, "global", s))));
    }

    [Fact]
    public async Task Readyz_MeshPeerAgentKilled_Stays200AndPeerShownDown()
    {
        await Eventually.Until(async () => Established(await ScrapeAsync(), N2, "mesh"), "the mesh session with n2 to be Established");

        _n2.Agent.Signal(9);
        Assert.True(_n2.Agent.WaitForExit(TimeSpan.FromSeconds(10)), "n2 survived SIGKILL");

        await StaysReadyUntil(
            async () =>
            {
                var scrape = await ScrapeAsync();
                return !Established(scrape, N2, "mesh") && scrape.Value(PeerSeries("routednet_bgp_peer_flaps_total", N2, "mesh")) == 1;
            },
            "n1 to show the session with the killed n2 down, after one flap");
        var after = await ScrapeAsync();
        Assert.Equal(1, after.Value("routednet_node_ready"));
        Assert.Equal(0, after.Value(PeerSeries("routednet_bgp_peer_uptime_seconds", N2, "mesh")));
    }
}
