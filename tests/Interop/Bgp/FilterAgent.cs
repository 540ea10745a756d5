using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// One `routednet-node` with a BGPPeer to the ToR at <see cref="BgpLink.PeerV4"/> (and optionally a
/// BGPFilter), as the filter and policy tests against BIRD, FRR and GoBGP start it, and what they
/// read back: the ToR's counters from `bgp peers -o json`, the node's kernel routes.
/// </summary>
internal static class FilterAgent
{
    /// <summary>The agent's AS when neither its Node nor a BGPConfiguration sets one (Calico's default).</summary>
    public const uint AgentAs = 64512;

    public const string Pool = "10.65.0.0/16";
    public const string OwnBlock = "10.65.1.0/26";
    public const string SecondBlock = "10.65.2.0/26";
    public const string ForeignInPool = "10.65.9.0/26";
    public const string RackPrefix = "10.10.0.0/16";

    /// <summary>The ToR filter of the proofs: its default route in, nothing inside the pool; the rest to the defaults.</summary>
    public static BGPFilter TorIn { get; } = new()
    {
        Metadata = new ObjectMeta { Name = "tor-in" },
        Spec = new BGPFilterSpec
        {
            ImportV4 =
            [
                new BGPFilterRule { Cidr = "0.0.0.0/0", MatchOperator = "Equal", Action = "Accept" },
                new BGPFilterRule { Cidr = Pool, MatchOperator = "In", Action = "Reject" },
            ],
        },
    };

    /// <summary>
    /// The cluster's communities of the proofs: a named standard one and a large one on the pool,
    /// GRACEFUL_SHUTDOWN (65535:0, RFC 8326) literally on the node's block only.
    /// </summary>
    public static BGPConfiguration Communities { get; } = new()
    {
        Metadata = new ObjectMeta { Name = "default" },
        Spec = new BGPConfigurationSpec
        {
            Communities = [new BGPCommunityKV { Name = "rack-a", Value = "65000:100" }, new BGPCommunityKV { Name = "big", Value = "65000:1:2" }],
            PrefixAdvertisements =
            [
                new BGPPrefixAdvertisement { Cidr = Pool, Communities = ["rack-a", "big"] },
                new BGPPrefixAdvertisement { Cidr = OwnBlock, Communities = ["65535:0"] },
            ],
        },
    };

    public static Task<AgentProcess> StartAsync(
        BgpLink link, BGPPeerSpec peer, BGPFilter? filter, uint peerAs, bool secondBlock = false, BGPConfiguration? configuration = null, IReadOnlyList<string>? agentArgs = null) =>
        StartAsync(link.Ours, BgpLink.OurV4, BgpLink.PeerV4, peer, filter, peerAs, secondBlock, configuration, agentArgs);

    /// <summary>The agent in <paramref name="ours"/> at <paramref name="nodeIp"/>, its ToR at <paramref name="peerIp"/>.</summary>
    public static Task<AgentProcess> StartAsync(
        NetNs ours, string nodeIp, string peerIp, BGPPeerSpec peer, BGPFilter? filter, uint peerAs, bool secondBlock = false, BGPConfiguration? configuration = null, IReadOnlyList<string>? agentArgs = null) =>
        AgentProcess.StartAsync(ours, nodeIp, async store =>
        {
            if (configuration is not null)
            {
                await store.CreateAsync(configuration);
            }
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = Pool, BlockSize = 26 } });
            await CreateBlockAsync(store, OwnBlock);
            if (secondBlock)
            {
                await CreateBlockAsync(store, SecondBlock);
            }
            if (filter is not null)
            {
                await store.CreateAsync(filter);
            }
            await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = peer with { PeerIP = peerIp, AsNumber = peerAs } });
        }, agentArgs);

    private static Task CreateBlockAsync(IStore store, string cidr) =>
        store.CreateAsync(new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = cidr.Replace('.', '-').Replace('/', '-') },
            Spec = new IPAMBlockSpec { Cidr = cidr, Affinity = $"host:{AgentProcess.NodeName}" },
        });

    /// <summary>The ToR's counters from `bgp peers -o json` once <paramref name="condition"/> holds.</summary>
    public static async Task<JsonElement> CountersWhenAsync(AgentProcess agent, Func<JsonElement, bool> condition, string what)
    {
        JsonElement? last = null;
        try
        {
            await Eventually.Until(async () => (last = await CountersAsync(agent)) is { } counters && condition(counters), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last counters {last}", e);
        }
        return last!.Value;
    }

    private static async Task<JsonElement?> CountersAsync(AgentProcess agent)
    {
        var result = await CtlAsync(agent, "bgp", "peers", "-o", "json");
        if (result.ExitCode != 0)
        {
            return null;
        }
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("peers")[0].GetProperty("counters").Clone();
    }

    public static Task<ProcessResult> CtlAsync(AgentProcess agent, params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), [.. args, "--node-socket", agent.ApiSocket]);

    /// <summary>TcpExt TCPMinTTLDrop of the namespace: segments the kernel dropped for a TTL under IP_MINTTL (GTSM).</summary>
    public static long MinTtlDrops(NetNs ns)
    {
        var lines = ns.Check("cat", "/proc/net/netstat").Stdout.Split('\n').Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ');
        var values = lines[1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "TCPMinTTLDrop")], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>`ip route show PREFIX` in the node's main table; empty when there is none.</summary>
    public static string Route(NetNs ns, string prefix) => ns.Check("ip", "route", "show", prefix).Stdout.Trim();

    /// <summary>Installed by the agent (proto 80) via the ToR.</summary>
    public static bool IsVia(NetNs ns, string prefix)
    {
        var route = Route(ns, prefix);
        return route.StartsWith($"{prefix} via {BgpLink.PeerV4} ", StringComparison.Ordinal) && route.Contains("proto 80", StringComparison.Ordinal);
    }

    /// <summary>
    /// The import proof against any ToR: its default route in the kernel via the ToR, the rack prefix
    /// too (no rule matches it: the defaults take it), the foreign /26 inside the pool in neither the
    /// kernel nor the RIB, and counted as filtered. A ToR that echoes the node's own block back
    /// (<paramref name="echoesOwnBlock"/>: FRR) has that counted as received and filtered as well.
    /// <paramref name="countsRejections"/>: the backend counts refused announcements (GoBGP's keeps no such count).
    /// </summary>
    public static async Task AssertTorInAppliedAsync(BgpLink link, AgentProcess agent, bool echoesOwnBlock = false, bool countsRejections = true)
    {
        var echo = echoesOwnBlock ? 1 : 0;
        await Eventually.Until(() => IsVia(link.Ours, "default"), $"the ToR's default route in the kernel (agent log: {agent.LogPath})");
        await Eventually.Until(() => IsVia(link.Ours, RackPrefix), $"{RackPrefix} in the kernel");
        var counters = await CountersWhenAsync(agent, c => c.GetProperty("prefixesReceived").GetInt32() == 3 + echo, "all of the ToR's prefixes counted as received");

        Assert.Equal("", Route(link.Ours, ForeignInPool));
        Assert.Equal((2, 1 + echo), (counters.GetProperty("prefixesAccepted").GetInt32(), counters.GetProperty("prefixesFiltered").GetInt32()));
        Assert.True(!countsRejections || counters.GetProperty("importRejected").GetInt64() >= 1, counters.ToString());
        var rib = await CtlAsync(agent, "bgp", "rib", "-o", "json");
        Assert.DoesNotContain(ForeignInPool, rib.Stdout, StringComparison.Ordinal);
    }
}
