using System.Net.Sockets;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// The published `routednetctl` reading real agents through their API socket: node status,
/// bgp peers, bgp rib and routes (JSON parsed), a route deleted by hand, and the one-line errors
/// when the agent cannot be read.
/// </summary>
public sealed class NodeCommandsTests(TwoAgentFixture cluster) : IClassFixture<TwoAgentFixture>
{
    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await TwoAgentFixture.CtlAsync([.. args, "--node-socket", cluster.N1Socket, "-o", "json"]);
        Assert.True(result.ExitCode is 0 or 1, $"`{result.Command}` exited {result.ExitCode}: {result.Stderr}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    private static JsonElement PeerAt(JsonElement peers, string address) =>
        peers.EnumerateArray().Single(p => p.GetProperty("address").GetString() == address);

    private Task MeshEstablishedAsync() =>
        Eventually.Until(
            async () => PeerAt((await JsonAsync("bgp", "peers")).GetProperty("peers"), "172.18.0.3").GetProperty("state").GetString() == "Established",
            "n1's mesh session to n2");

    [Fact]
    public async Task NodeStatus_MeshedAgent_ShowsIdentityBlocksAndEachPeerWithItsType()
    {
        await MeshEstablishedAsync();

        var status = await JsonAsync("node", "status");
        Assert.Equal("n1", status.GetProperty("name").GetString());
        Assert.Equal(64512u, status.GetProperty("asNumber").GetUInt32());
        Assert.Equal("172.18.0.2", status.GetProperty("routerId").GetString());
        Assert.Equal([TwoAgentFixture.N1Block], status.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()));
        var peers = status.GetProperty("peers");
        Assert.Equal("mesh", PeerAt(peers, "172.18.0.3").GetProperty("type").GetString());
        var silent = PeerAt(peers, TwoAgentFixture.SilentPeer);
        Assert.Equal("global", silent.GetProperty("type").GetString());
        Assert.NotEqual("Established", silent.GetProperty("state").GetString());

        var table = (await TwoAgentFixture.CtlAsync("node", "status", "--node-socket", cluster.N1Socket)).EnsureSuccess().Stdout;
        Assert.Contains("Node n1 is ", table, StringComparison.Ordinal);
        Assert.Contains(TwoAgentFixture.N1Block, table, StringComparison.Ordinal);
        Assert.Matches(@"172\.18\.0\.3\s+node-to-node mesh\s+Established", table);
        Assert.Matches(@"172\.18\.0\.99\s+global\s+(Idle|Connect|Active)", table);
    }

    [Fact]
    public async Task NodeStatus_Version_TheAgentsBuildVersionInJsonAndTable()
    {
        var version = await VersionTests.OfAsync("routednet-node");

        Assert.Equal(version, (await JsonAsync("node", "status")).GetProperty("version").GetString());
        var table = (await TwoAgentFixture.CtlAsync("node", "status", "--node-socket", cluster.N1Socket)).EnsureSuccess().Stdout;
        Assert.Contains($"(routednet-node {version}, started ", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BgpPeers_EstablishedMeshPeer_CountsThePrefixesExchanged()
    {
        await MeshEstablishedAsync();

        await Eventually.Until(
            async () =>
            {
                var counters = PeerAt((await JsonAsync("bgp", "peers")).GetProperty("peers"), "172.18.0.3").GetProperty("counters");
                return counters.GetProperty("prefixesReceived").GetUInt64() >= 1 && counters.GetProperty("prefixesAdvertised").GetUInt64() >= 1;
            },
            "n1 to count n2's block received and its own advertised");
    }

    [Fact]
    public async Task BgpRib_Prefix_ShowsOnlyThatPrefixWithPeerAndNextHop()
    {
        await Eventually.Until(
            async () => (await JsonAsync("bgp", "rib", "--prefix", TwoAgentFixture.N2Block)).GetProperty("entries").GetArrayLength() == 1,
            "n1 to learn n2's block");

        var entry = Assert.Single((await JsonAsync("bgp", "rib", "--prefix", TwoAgentFixture.N2Block)).GetProperty("entries").EnumerateArray());
        Assert.Equal(TwoAgentFixture.N2Block, entry.GetProperty("prefix").GetString());
        Assert.Equal(["172.18.0.3"], entry.GetProperty("nextHops").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("172.18.0.3", entry.GetProperty("peer").GetString());
        Assert.False(entry.GetProperty("local").GetBoolean());
        Assert.NotEqual("", entry.GetProperty("decisionStep").GetString());
    }

    [Fact]
    public async Task Routes_RouteAndBlackholeDeletedByHand_ReportedAndExit1UntilRepaired()
    {
        JsonElement clean = default;
        await Eventually.Until(
            async () =>
            {
                clean = await JsonAsync("routes");
                return clean.GetProperty("clean").GetBoolean() && clean.GetProperty("routes").GetArrayLength() == 3;
            },
            "n1's routes to be clean (pod, blackhole, n2's block)");
        Assert.Equal(["ok"], clean.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("state").GetString()).Distinct());
        Assert.Equal(
            [(TwoAgentFixture.PodIp + "/32", "workload"), (TwoAgentFixture.N1Block, "blackhole"), (TwoAgentFixture.N2Block, "bgp")],
            clean.GetProperty("routes").EnumerateArray().Select(r => (r.GetProperty("prefix").GetString(), r.GetProperty("kind").GetString())).OrderBy(r => r.Item2 switch { "workload" => 0, "blackhole" => 1, _ => 2 }));

        // n1 resyncs hourly: nothing repairs these until `routes` itself reads the kernel back.
        cluster.N1.Check("ip", "route", "del", TwoAgentFixture.PodIp + "/32");
        cluster.N1.Check("ip", "route", "del", "blackhole", TwoAgentFixture.N1Block);

        var result = await TwoAgentFixture.CtlAsync("routes", "--node-socket", cluster.N1Socket, "-o", "json");
        Assert.Equal(1, result.ExitCode);
        using (var report = JsonDocument.Parse(result.Stdout))
        {
            Assert.False(report.RootElement.GetProperty("clean").GetBoolean());
            var states = report.RootElement.GetProperty("routes").EnumerateArray()
                .ToDictionary(r => r.GetProperty("prefix").GetString()!, r => r.GetProperty("state").GetString());
            Assert.Equal("missing", states[TwoAgentFixture.PodIp + "/32"]);
            Assert.Equal("missing-blackhole", states[TwoAgentFixture.N1Block]);
            Assert.Equal("ok", states[TwoAgentFixture.N2Block]);
        }

        await Eventually.Until(
            async () => (await TwoAgentFixture.CtlAsync("routes", "--node-socket", cluster.N1Socket)).ExitCode == 0,
            "n1 to repair both routes once it has seen them gone");
    }

    [Fact]
    public async Task Routes_ForeignRouteInsideOurBlock_ReportedAsConflictAndLeftAlone()
    {
        const string Foreign = "10.244.1.77/32";
        cluster.N1.Check("ip", "route", "add", Foreign, "via", "172.18.0.3", "proto", "static");
        try
        {
            var result = await TwoAgentFixture.CtlAsync("routes", "--node-socket", cluster.N1Socket, "-o", "json");

            Assert.Equal(1, result.ExitCode);
            using var report = JsonDocument.Parse(result.Stdout);
            var route = report.RootElement.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("prefix").GetString() == Foreign);
            Assert.Equal("conflict", route.GetProperty("state").GetString());
            Assert.Equal(4u, route.GetProperty("programmed").GetProperty("protocol").GetUInt32());
            var table = (await TwoAgentFixture.CtlAsync("routes", "--node-socket", cluster.N1Socket)).Stdout;
            Assert.Matches(@"10\.244\.1\.77/32\s+foreign\s+conflict\s+-\s+via 172\.18\.0\.3 dev eth0 proto 4", table);
            // Both reads made the agent resync and apply: the other owner's route is still there.
            Assert.Contains("proto static", cluster.N1.Check("ip", "-o", "route", "show", Foreign).Stdout, StringComparison.Ordinal);
        }
        finally
        {
            cluster.N1.Check("ip", "route", "del", Foreign);
        }
    }

    [Fact]
    public async Task NodeStatus_NoSocket_OneLineErrorAndExit3()
    {
        var result = await TwoAgentFixture.CtlAsync("node", "status", "--node-socket", Path.Combine(cluster.Dir, "absent.sock"));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no such socket", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_SocketLeftByDeadAgent_ConnectionRefusedAndExit3()
    {
        // Bound but not listening: what a killed agent leaves (.NET would unlink the file on Dispose, so keep it open).
        var path = Path.Combine(cluster.Dir, "dead.sock");
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(path));

        var result = await TwoAgentFixture.CtlAsync("routes", "--node-socket", path);

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("connection refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BgpPeers_NotRoot_PermissionDeniedAndExit3()
    {
        var setpriv = Tools.Require("/usr/bin/setpriv", "util-linux");

        var result = await Proc.RunAsync(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", RepoPaths.Binary("routednetctl"), "bgp", "peers", "--node-socket", cluster.N1Socket]);

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("permission denied", line, StringComparison.Ordinal);
    }
}
