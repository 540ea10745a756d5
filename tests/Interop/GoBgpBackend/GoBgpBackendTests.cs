using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using BackendUnderTest = RoutedNet.Felix.Bgp.GoBgp.GoBgpBackend;

namespace RoutedNet.Tests.Interop.GoBgpBackend;

/// <summary>
/// routednet-node's GoBGP backend against a real gobgpd 3.x: what the agent configures through the
/// backend must be what gobgpd then holds. gobgpd runs on loopback with BGP listening off and every
/// peer passive, so no BGP traffic leaves the process pair.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class GoBgpBackendTests
{
    private static readonly IPAddress NodeV4 = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress NodeV6 = IPAddress.Parse("fd00:77::1");
    private static readonly BgpImport Pools = new([IPNetwork.Parse("10.77.0.0/16"), IPNetwork.Parse("fd00:77::/48")], []);

    /// <summary>GoBGP: a negative listen port means "do not listen".</summary>
    private const int NoListen = -1;

    [Fact]
    public async Task SetAdvertisements_Blocks_InGlobalRibWithNodeNextHop()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);

        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24"), IPNetwork.Parse("10.77.2.7/32"), IPNetwork.Parse("fd00:77:0:1::/64")], CancellationToken.None);

        var v4 = gobgp.RibNextHops("ipv4");
        Assert.Equal(["10.77.1.0/24", "10.77.2.7/32"], v4.Keys.Order());
        Assert.Equal(["10.77.0.1"], v4["10.77.1.0/24"]);
        Assert.Equal(["10.77.0.1"], v4["10.77.2.7/32"]);
        Assert.Equal(["fd00:77::1"], gobgp.RibNextHops("ipv6")["fd00:77:0:1::/64"]);
    }

    [Fact]
    public async Task SetAdvertisements_PrefixDropped_WithdrawnFromGlobalRib()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);
        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24"), IPNetwork.Parse("10.77.3.0/24")], CancellationToken.None);

        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.3.0/24")], CancellationToken.None);

        Assert.Equal(["10.77.3.0/24"], gobgp.RibNextHops("ipv4").Keys);
    }

    [Fact]
    public async Task SetPeers_Peers_ListedByGobgpNeighborAndRemovedWhenDropped()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);
        BgpPeerConfig mesh = new(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true);
        BgpPeerConfig tor = new(IPAddress.Parse("10.77.0.254"), 65010, PeerType.Global, "bgppeer tor", Passive: true);

        await backend.SetPeersAsync([mesh, tor], Pools, CancellationToken.None);
        Assert.Equal(new Dictionary<string, uint> { ["10.77.0.2"] = 64512, ["10.77.0.254"] = 65010 }, gobgp.Neighbors());
        var statuses = await backend.GetPeersAsync(CancellationToken.None);
        Assert.Equal([mesh, tor], statuses.Select(s => s.Config).OrderBy(c => c.AsNumber));
        Assert.All(statuses, s => Assert.NotEqual(PeerState.Established, s.State));

        await backend.SetPeersAsync([tor with { AsNumber = 65011 }], Pools, CancellationToken.None);
        Assert.Equal(new Dictionary<string, uint> { ["10.77.0.254"] = 65011 }, gobgp.Neighbors());
    }

    [Fact]
    public async Task Shutdown_Started_WithdrawsPathsAndStopsBgp()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);
        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24")], CancellationToken.None);
        await backend.SetPeersAsync([new BgpPeerConfig(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true)], Pools, CancellationToken.None);

        await backend.ShutdownAsync(CancellationToken.None);

        Assert.Empty(gobgp.Neighbors());
        Assert.Contains("hasn't started", gobgp.Cli("global", "rib", "-a", "ipv4", "-j").Stdout, StringComparison.Ordinal);
    }

    // What the node agent does when the datastore gives the node a new AS number: shut down, start again.
    [Fact]
    public async Task Restart_NewAsNumber_InstanceRunsItAndPeersAndPathsCanBeSetAgain()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);
        BgpPeerConfig mesh = new(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true);
        await backend.SetPeersAsync([mesh], Pools, CancellationToken.None);
        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24")], CancellationToken.None);

        await backend.ShutdownAsync(CancellationToken.None);
        await backend.StartAsync(new BgpLocalConfig(65010, NodeV4, [NodeV4, NodeV6], NoListen, null, true), CancellationToken.None);
        await backend.SetPeersAsync([mesh], Pools, CancellationToken.None);
        await backend.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24")], CancellationToken.None);

        Assert.Contains("65010", gobgp.Cli("global").Stdout, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, uint> { ["10.77.0.2"] = 64512 }, gobgp.Neighbors());
        Assert.Equal(["10.77.1.0/24"], gobgp.RibNextHops("ipv4").Keys);
    }

    // The agent restarts (SIGTERM, an upgrade) while gobgpd keeps running: the next agent adopts the
    // instance as it is. Its sessions are never deleted and re-added (a peer would see them drop) and
    // our paths are not withdrawn, while a changed or dropped peer is still applied.
    [Fact]
    public async Task StopForRestart_ThenNewAgent_AdoptsSessionsAndPathsWithoutRecreatingThem()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        BgpPeerConfig mesh = new(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true);
        BgpPeerConfig tor = new(IPAddress.Parse("10.77.0.254"), 65010, PeerType.Global, "bgppeer tor", Passive: true);
        await using (var first = await StartBackendAsync(gobgp))
        {
            await first.SetPeersAsync([mesh, tor], Pools, CancellationToken.None);
            await first.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24")], CancellationToken.None);
            await first.StopForRestartAsync(CancellationToken.None);
        }
        Assert.Equal(["10.77.1.0/24"], gobgp.RibNextHops("ipv4").Keys);

        await using var second = await StartBackendAsync(gobgp, restarting: true);
        await second.SetPeersAsync([mesh], Pools, CancellationToken.None);
        await second.SetAdvertisementsAsync([IPNetwork.Parse("10.77.1.0/24"), IPNetwork.Parse("10.77.2.0/24")], CancellationToken.None);

        Assert.Equal(new Dictionary<string, uint> { ["10.77.0.2"] = 64512 }, gobgp.Neighbors());
        Assert.Equal(["10.77.1.0/24", "10.77.2.0/24"], gobgp.RibNextHops("ipv4").Keys.Order());
        // gobgpd logs every peer it is given: the kept session was added once, by the first agent.
        Assert.Single(gobgp.Log().Split('\n'), l => l.Contains("Add a peer configuration", StringComparison.Ordinal) && l.Contains("Key=10.77.0.2 ", StringComparison.Ordinal));
        await second.SetAdvertisementsAsync([IPNetwork.Parse("10.77.2.0/24")], CancellationToken.None);
        Assert.Equal(["10.77.2.0/24"], gobgp.RibNextHops("ipv4").Keys);
    }

    [Fact]
    public async Task SetPeers_Peer_GracefulRestartAsTheBuiltInSpeaker()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);

        await backend.SetPeersAsync([new BgpPeerConfig(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true)], Pools, CancellationToken.None);

        using var neighbor = System.Text.Json.JsonDocument.Parse(gobgp.Cli("neighbor", "10.77.0.2", "-j").Stdout);
        var gr = neighbor.RootElement.GetProperty("graceful_restart");
        Assert.True(gr.GetProperty("enabled").GetBoolean());
        Assert.Equal(120, gr.GetProperty("restart_time").GetInt32());
        Assert.All(
            neighbor.RootElement.GetProperty("afi_safis").EnumerateArray(),
            family => Assert.True(family.GetProperty("mp_graceful_restart").GetProperty("config").GetProperty("enabled").GetBoolean()));
    }

    [Fact]
    public async Task GetPeers_SessionDown_SaysGoBgpDoesNotReportTheError()
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        await using var backend = await StartBackendAsync(gobgp);
        await backend.SetPeersAsync([new BgpPeerConfig(IPAddress.Parse("10.77.0.2"), 64512, PeerType.Mesh, "node node-b", Passive: true)], Pools, CancellationToken.None);

        var status = Assert.Single(await backend.GetPeersAsync(CancellationToken.None));

        Assert.NotEqual(PeerState.Established, status.State);
        Assert.Contains("not reported by the GoBGP backend", status.LastError, StringComparison.Ordinal);
        Assert.Contains(backend.Limits, l => l.Contains("last error", StringComparison.Ordinal));
    }

    // The built-in speaker's export rule: only what we originate; a route reflector passes learned routes on.
    [Theory]
    [InlineData(false, "REJECT")]
    [InlineData(true, "ACCEPT")]
    public async Task Start_GlobalExportPolicy_OwnPrefixesOnlyUnlessReflecting(bool reflects, string otherwise)
    {
        using var gobgp = await GoBgpDaemon.StartAsync();
        var options = new AgentOptions { NodeName = "node-a", BgpBackend = BgpBackendKind.GoBgp, GoBgpApi = gobgp.Api };
        await using var backend = new BackendUnderTest(options, NullLogger<BackendUnderTest>.Instance);

        await backend.StartAsync(new BgpLocalConfig(64512, NodeV4, [NodeV4, NodeV6], NoListen, reflects ? NodeV4 : null, false), CancellationToken.None);

        // gobgp's own rendering: the policy, its statement (route type local: accept), the default.
        var policy = gobgp.Cli("global", "policy", "export").Stdout;
        Assert.Contains("routednet-export", policy, StringComparison.Ordinal);
        Assert.Contains($"Default: {otherwise}", policy, StringComparison.Ordinal);
        var statement = gobgp.Cli("policy", "routednet-export").Stdout;
        Assert.Contains("local", statement, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("accept", statement, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<BackendUnderTest> StartBackendAsync(GoBgpDaemon gobgp, bool restarting = false)
    {
        var options = new AgentOptions { NodeName = "node-a", BgpBackend = BgpBackendKind.GoBgp, GoBgpApi = gobgp.Api };
        var backend = new BackendUnderTest(options, NullLogger<BackendUnderTest>.Instance);
        await backend.StartAsync(new BgpLocalConfig(64512, NodeV4, [NodeV4, NodeV6], NoListen, null, restarting), CancellationToken.None);
        return backend;
    }
}
