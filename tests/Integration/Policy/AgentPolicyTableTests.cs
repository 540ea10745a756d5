using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Integration.Felix;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Issue 16, the static part of enforcement: `routednet-node` (the published binary) keeps `table
/// inet routednet` in its own namespace. Pods wired by the real plugin (host-local, no datastore:
/// the agent knows them from the attachment records) pass traffic as before policy existed, right
/// when ADD returns (the plugin waited for the agent's ack); a `rn*` veth the agent never
/// programmed drops both ways; the table lists through `nft` as exactly what we wrote; a killed
/// agent leaves it enforcing and the restarted one adopts it without a flush.
/// </summary>
public sealed partial class AgentPolicyTableTests : IAsyncLifetime
{
    private const string Stray = "rnstray0";
    private const string StrayAddress = "10.244.7.250";
    private PolicyNode _policyNode = null!;

    private NodeAgentScope Node => _policyNode.Node;

    public async Task InitializeAsync() => _policyNode = await PolicyNode.StartAsync();

    public async Task DisposeAsync() => await _policyNode.DisposeAsync();

    private Task<(NetNs Pod, string Address, string Veth)> AddPodAsync(string name) => _policyNode.AddPodAsync(name);

    /// <summary>A pod wired by hand behind the agent's back, the way the plugin wires one: routed, proxy_arp, but in no record.</summary>
    private NetNs AddStrayPod()
    {
        var pod = _policyNode.NewNamespace();
        Node.Ns.Link(Stray, pod, "eth0");
        pod.Check("ip", "addr", "add", StrayAddress + "/32", "dev", "eth0");
        pod.Check("ip", "route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
        pod.Check("ip", "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
        Node.Ns.Check("sysctl", "-qw", $"net.ipv4.conf.{Stray}.proxy_arp=1");
        Node.Ns.Check("ip", "route", "add", StrayAddress + "/32", "dev", Stray);
        return pod;
    }

    private static bool Pings(NetNs from, string to) => PolicyNode.Pings(from, to);

    /// <summary>Packets the "unknown workload interface" drop of <paramref name="chain"/> counted.</summary>
    private long UnknownDrops(string chain)
    {
        var text = Node.Ns.Check("/usr/sbin/nft", "list", "chain", "inet", "routednet", chain).Stdout;
        var match = DropCounter().Match(text);
        Assert.True(match.Success, text);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("counter packets (\\d+) bytes \\d+ drop comment \"unknown workload interface\"")]
    private static partial Regex DropCounter();

    [Fact]
    public async Task ProgrammedPods_PassAtOnceAfterAdd_UnknownWorkloadVeth_DropsBothWays()
    {
        var a = await AddPodAsync("pod-a");
        var b = await AddPodAsync("pod-b");

        // ADD returned only once the agent had both pods' chains and map entries in force (pings
        // are polled: eth0 may show NO-CARRIER for up to ~1 s after its peer moved namespaces).
        Assert.Equal(new[] { a.Veth, b.Veth }.Order(StringComparer.Ordinal), MapKeys("wl-from"));
        Assert.Equal(new[] { a.Veth, b.Veth }.Order(StringComparer.Ordinal), MapKeys("wl-to"));
        await Eventually.Until(() => Pings(a.Pod, b.Address), $"{a.Address} to reach {b.Address}", TimeSpan.FromSeconds(10));
        Assert.True(Pings(b.Pod, a.Address), $"{b.Address} -> {a.Address}");

        var stray = AddStrayPod();
        Assert.False(Pings(stray, a.Address), "a veth the agent never programmed sent traffic");
        Assert.False(Pings(a.Pod, StrayAddress), "a veth the agent never programmed received traffic");
        Assert.True(UnknownDrops("from-wl") > 0, "the stray pod's packets were not the ones dropped on the way out");
        Assert.True(UnknownDrops("to-wl") > 0, "the packets to the stray pod were not the ones dropped on the way in");

        var status = await Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest());
        Assert.Equal("inet routednet", status.Table);
        Assert.Equal(new[] { a.Veth, b.Veth }.Order(StringComparer.Ordinal), status.ProgrammedEndpoints.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Stray, status.ProgrammedEndpoints);
    }

    [Fact]
    public async Task Table_ListedByNft_LoadsBackIntoTheSameRulesAndElements()
    {
        var a = await AddPodAsync("pod-a");
        // Enforced before the policy is written: the agent follows each kind with its own watch, so
        // a policy's revision can be reported enforced before an endpoint written just ahead of it
        // has arrived (the table would then still change under the listing below).
        var endpoint = await _policyNode.RegisterAsync("pod-a", "enforce", a.Veth, a.Address, new Dictionary<string, string> { ["app"] = "web" });
        await _policyNode.WaitEnforcedAsync(PolicyNode.Revision(endpoint));
        // Every rule shape the renderer makes, on every pod (a global policy selecting all()).
        var shapes = await Node.Store.CreateAsync(new GlobalNetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "shapes" },
            Spec = new PolicySpec
            {
                Tier = PolicySpec.TierBaseline,
                Selector = "all()",
                Types = [PolicySpec.TypeIngress, PolicySpec.TypeEgress],
                Ingress =
                [
                    new PolicyRule { Action = PolicyRule.ActionLog, Protocol = new IntOrString("UDP") },
                    new PolicyRule { Action = PolicyRule.ActionDeny, Protocol = new IntOrString("TCP"), Source = new EntityRule { Nets = ["10.9.0.0/16", "fd00:9::/64"], NotNets = ["10.9.5.0/24"] }, Destination = new EntityRule { Ports = [new IntOrString(80), new IntOrString("8000:8080")], NotPorts = [new IntOrString(8001)] } },
                    new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = new IntOrString("TCP"), Source = new EntityRule { Selector = "app == 'web'", NotSelector = "tier == 'x'" }, Destination = new EntityRule { Ports = [new IntOrString("serve-81-tcp")] } },
                    new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = new IntOrString("ICMP"), Icmp = new IcmpFields { Type = 8, Code = 0 } },
                    new PolicyRule { Action = PolicyRule.ActionPass, IpVersion = 6, NotProtocol = new IntOrString("SCTP") },
                ],
                Egress = [new PolicyRule { Action = PolicyRule.ActionAllow }],
            },
        });
        await _policyNode.WaitEnforcedAsync(long.Parse(shapes.Metadata.ResourceVersion!, CultureInfo.InvariantCulture));
        var listed = Node.Ns.Check("/usr/sbin/nft", "list", "table", "inet", "routednet").Stdout;
        Assert.Contains($"\"{a.Veth}\" : goto fw-{a.Veth}", listed, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(Node.Ns.Check("/usr/sbin/nft", "-j", "list", "table", "inet", "routednet").Stdout))
        {
            var items = json.RootElement.GetProperty("nftables").EnumerateArray().ToList();
            Assert.Contains(items, i => i.TryGetProperty("chain", out var c) && c.GetProperty("name").GetString() == "forward" && c.GetProperty("hook").GetString() == "forward" && c.GetProperty("prio").GetInt32() == -5);
            Assert.Equal(2, items.Count(i => i.TryGetProperty("map", out _)));
        }

        // nft's text of our table, loaded by nft into a fresh namespace: the same bytes as ours, rule for rule.
        using var copy = NetNs.Create("rnenf");
        var file = Path.Combine(Node.StateDir, "copy.nft");
        await File.WriteAllTextAsync(file, listed);
        copy.Check("/usr/sbin/nft", "-f", file);
        using var ours = NftablesHandle.OpenNamespace(Node.Ns.Path);
        using var theirs = NftablesHandle.OpenNamespace(copy.Path);
        var ourRules = ours.ListRules("routednet");
        var theirRules = theirs.ListRules("routednet");
        Assert.Equal(ourRules.Count, theirRules.Count);
        Assert.Contains(ourRules, r => r.Comment == "shapes#i2");
        for (var i = 0; i < ourRules.Count; i++)
        {
            Assert.True(ourRules[i].SameAs(theirRules[i]), $"rule {i} of {ourRules[i].Chain}: we wrote\n{ourRules[i].Describe()}\nnft makes\n{theirRules[i].Describe()}");
        }
        foreach (var map in ours.ListSets("routednet").Select(s => s.Name))
        {
            Assert.Equal(
                ours.ListElements("routednet", map).Select(e => (Convert.ToHexString(e.Key), e.Verdict)).Order(),
                theirs.ListElements("routednet", map).Select(e => (Convert.ToHexString(e.Key), e.Verdict)).Order());
        }
    }

    [Fact]
    public async Task AgentKilled_TableKeepsEnforcing_RestartedAgentAdoptsItWithoutFlush()
    {
        var a = await AddPodAsync("pod-a");
        var b = await AddPodAsync("pod-b");
        var stray = AddStrayPod();
        await Eventually.Until(() => Pings(a.Pod, b.Address), $"{a.Address} to reach {b.Address}", TimeSpan.FromSeconds(10));
        var handles = Handles();

        await Node.KillAndRestartAsync(() =>
        {
            Assert.True(Pings(a.Pod, b.Address), "programmed pods stopped passing while the agent was down");
            Assert.False(Pings(stray, a.Address), "the node opened up while the agent was down");
            return Task.CompletedTask;
        });

        Assert.True(Pings(a.Pod, b.Address), "programmed pods stopped passing after the restart");
        Assert.False(Pings(stray, a.Address), "the restarted agent opened the stray veth");
        // A flush and refill would have given every rule a new handle.
        Assert.Equal(handles, Handles());
    }

    /// <summary>The interface names a verdict map holds, sorted.</summary>
    private List<string> MapKeys(string map)
    {
        using var handle = NftablesHandle.OpenNamespace(Node.Ns.Path);
        return handle.ListElements("routednet", map).Select(e => System.Text.Encoding.ASCII.GetString(e.Key).TrimEnd('\0')).Order(StringComparer.Ordinal).ToList();
    }

    private List<(string Chain, ulong Handle)> Handles()
    {
        using var handle = NftablesHandle.OpenNamespace(Node.Ns.Path);
        return handle.ListRules("routednet").Select(r => (r.Chain, r.Handle)).ToList();
    }
}
