using System.Text.Json.Nodes;
using Grpc.Core;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Integration.Felix;
using RoutedNet.Ipam;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Cni;

/// <summary>
/// Issue 14: `routednet` with "datastoreAccess": "agent" on a node whose routednet-node (the
/// published binary, sqlite) serves its IPAM and endpoint records over the API socket; the plugin
/// runs in the node's namespace as a runtime would, pods in their own. The agent away: ADD fails
/// with 11 naming the socket, DEL succeeds and queues its release, which the restarted agent
/// carries out before it reports ready.
/// </summary>
public sealed class CniThroughAgentTests : IAsyncLifetime
{
    private const string Pool = "10.251.0.0/24";
    private NodeAgentScope _node = null!;
    private readonly List<NetNs> _pods = [];

    public async Task InitializeAsync()
    {
        _node = await NodeAgentScope.StartAsync(nodeName: "rnt-cni-node");
        await _node.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = Pool, BlockSize = 28 } });
    }

    public async Task DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }
        await _node.DisposeAsync();
    }

    private string Socket => Path.Combine(_node.StateDir, "node.sock");

    private string QueueDir => Path.Combine(_node.CniDataDir, ".pending-release");

    private JsonObject Config(JsonObject? prevResult = null)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "rnt-agent",
            ["type"] = "routednet",
            ["dataDir"] = _node.CniDataDir,
            ["datastoreAccess"] = "agent",
            ["agentSocket"] = Socket,
            ["ipam"] = new JsonObject { ["type"] = "routednet-ipam" },
        };
        if (prevResult is not null)
        {
            config["prevResult"] = prevResult.DeepClone();
        }
        return config;
    }

    private NetNs NewPod()
    {
        var pod = NetNs.Create();
        _pods.Add(pod);
        return pod;
    }

    private async Task<CniCall> RunAsync(string command, NetNs pod, string containerId, JsonObject config)
    {
        var result = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, RepoPaths.Binary("routednet")], config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            // No IPAM plugin to find: the agent path never execs one.
            ["CNI_PATH"] = "/nonexistent",
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-{containerId}",
        });
        return new CniCall(command, result.ExitCode, result.Stdout, result.Stderr);
    }

    private async Task<int> AllocationsAsync() => (await new IpamClient(_node.Store).CheckAsync()).Allocations;

    private int Queued() => Directory.Exists(QueueDir) ? Directory.GetFiles(QueueDir, "*.release").Length : 0;

    private bool HasVeth(string name) => _node.Ns.Exec("ip", "link", "show", name).Succeeded;

    [Fact]
    public async Task AddCheckDel_ThroughAgent_AddressEndpointAndRouteFromTheAgent_DelLeavesNothing()
    {
        var pod = NewPod();

        var add = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();

        var address = Assert.Single(add.Addresses);
        Assert.True(System.Net.IPNetwork.Parse(Pool).Contains(System.Net.IPAddress.Parse(CniNode.Bare(address))), address);
        var endpoint = Assert.Single((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal(("rnt-cni-node", "shop", "web-c1", add.HostInterface, address), (endpoint.Spec.Node, endpoint.Spec.Namespace, endpoint.Spec.Pod, endpoint.Spec.HostInterface, endpoint.Spec.IPNetworks.Single()));
        await Eventually.Until(() => _node.Routes().Any(r => r.StartsWith(CniNode.Bare(address) + " dev " + add.HostInterface, StringComparison.Ordinal)), "the agent to route the pod");
        var prev = JsonNode.Parse(add.Stdout)!.AsObject();
        (await RunAsync("CHECK", pod, "c1", Config(prev))).EnsureSuccess();

        (await RunAsync("DEL", pod, "c1", Config(prev))).EnsureSuccess();

        Assert.Equal(0, await AllocationsAsync());
        Assert.Empty((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        // Unrouted before the DEL answers; the veth itself the agent deletes after it answered.
        Assert.DoesNotContain(_node.Routes(), r => r.StartsWith(CniNode.Bare(address) + " ", StringComparison.Ordinal));
        await Eventually.Until(() => !HasVeth(add.HostInterface), "the agent to delete the veth the DEL handed over");
        Assert.Empty(pod.Check("ip", "-o", "link", "show", "type", "veth").Stdout.Trim());
        Assert.Equal(0, Queued());
    }

    // The agent takes the endpoint it wrote at once, and the watch's echo of it changes nothing,
    // so the echo costs no pass; but its revision must still be reported enforced (`policy
    // status`, the lab's waits), or whoever waits for it waits for the next unrelated change.
    [Fact]
    public async Task Add_ThroughAgent_PolicyStatusReachesTheRevisionOfTheEndpointItWrote()
    {
        (await RunAsync("ADD", NewPod(), "c1", Config())).EnsureSuccess();

        var endpoint = Assert.Single((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        var revision = long.Parse(endpoint.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.Until(
            async () => (await _node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).EnforcedRevision >= revision,
            $"the agent to report revision {revision} enforced");
    }

    // The agent registers the endpoint with the allocation and programs the pod while the veth is
    // made; the ADD's wait then finds it in force (no "not in force" timeout, no fallback).
    [Fact]
    public async Task Add_EndpointRegisteredWithTheAllocation_PolicyInForceWhenAddReturns()
    {
        var add = (await RunAsync("ADD", NewPod(), "c1", Config())).EnsureSuccess();

        Assert.DoesNotContain("not in force", add.Stderr, StringComparison.Ordinal);
        var endpoint = Assert.Single((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal((add.HostInterface, "c1"), (endpoint.Spec.HostInterface, endpoint.Spec.ContainerID));
        var status = await _node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest());
        Assert.Contains(add.HostInterface, status.ProgrammedEndpoints);
        Assert.Equal(0ul, status.WaitTimeouts);
        Assert.DoesNotContain("not registered with its allocation", _node.Agent.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_SameSandboxAgain_WhileItsHandedOverVethIsNotDeletedYet_Succeeds()
    {
        // The state a DEL leaves until the agent has deleted the veth (or until its next start, when
        // it stopped first): the host end down, unrouted and in link group 29294, the pod end still
        // eth0 in the netns, the addresses released. A runtime may ADD the same sandbox right then.
        var pod = NewPod();
        var first = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();
        _node.Ns.Check("ip", "link", "set", first.HostInterface, "down", "group", "29294");
        await _node.Api.CniReleaseAsync(new CniReleaseRequest { ApiVersion = 1, Attachment = new CniAttachment { ContainerId = "c1", IfName = "eth0", Network = "rnt-agent", HandleId = "rnt-agent.c1.eth0" } });

        var again = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();

        Assert.Equal(first.HostInterface, again.HostInterface);
        Assert.Contains("state UP", _node.Ns.Check("ip", "link", "show", again.HostInterface).Stdout, StringComparison.Ordinal);
        Assert.Single(pod.Check("ip", "-o", "link", "show", "type", "veth").Stdout.Trim().Split('\n'));
        Assert.Equal(1, await AllocationsAsync());
        await Eventually.Until(() => _node.Routes().Any(r => r.StartsWith(CniNode.Bare(again.Addresses.Single()) + " dev " + again.HostInterface, StringComparison.Ordinal)), "the pod to be routed again");
    }

    [Fact]
    public async Task AgentStart_DeletesTheVethsAStoppedAgentLeftInTheGroup()
    {
        var pod = NewPod();
        _node.Ns.Check("ip", "link", "add", "rnt-left0", "type", "veth", "peer", "name", "eth0", "netns", pod.Name);
        _node.Ns.Check("ip", "link", "add", "rnt-keep0", "type", "veth", "peer", "name", "rnt-keep0p");

        await _node.KillAndRestartAsync(() =>
        {
            _node.Ns.Check("ip", "link", "set", "rnt-left0", "down", "group", "29294");
            return Task.CompletedTask;
        });

        await Eventually.Until(() => !HasVeth("rnt-left0"), "the restarted agent to delete the quiesced veth");
        Assert.Empty(pod.Check("ip", "-o", "link", "show", "type", "veth").Stdout.Trim());
        Assert.True(HasVeth("rnt-keep0"));
    }

    [Fact]
    public async Task Add_SandboxWhoseVethIsLive_StillFailsWithInterfaceExists()
    {
        // Only a veth a DEL quiesced is a leftover: a live pod's is never taken from it.
        var pod = NewPod();
        var first = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();

        var again = await RunAsync("ADD", pod, "c1", Config());

        Assert.False(again.Succeeded, again.Stdout);
        Assert.Equal(100, again.ErrorCode); // CNI "interface exists"
        Assert.True(HasVeth(first.HostInterface));
        Assert.Equal(1, await AllocationsAsync());
    }

    // ADD registers the endpoint with the agent before it routes the pod (the agent programs the
    // pod's policy meanwhile): a wiring failure after that must still undo all of it, over the
    // same connection, and leave the next ADD nothing in its way.
    [Fact]
    public async Task Add_WiringFailsAfterTheEndpointWasRegistered_AllUndone_NextAddSucceeds()
    {
        // Every address of the pool routed away: whichever the agent hands out, the pod's host
        // route finds a blackhole there.
        var first = System.Net.IPNetwork.Parse(Pool).BaseAddress.GetAddressBytes();
        var batch = Path.Combine(_node.StateDir, "blackholes");
        await File.WriteAllLinesAsync(batch, Enumerable.Range(0, 256).Select(i => $"route add blackhole {first[0]}.{first[1]}.{first[2]}.{i}/32"));
        _node.Ns.Check("ip", "-batch", batch);

        var add = await RunAsync("ADD", NewPod(), "c1", Config());

        Assert.Equal(101, add.ErrorCode);
        Assert.Contains("a blackhole route", add.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, await AllocationsAsync());
        Assert.Empty((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        var records = Path.Combine(_node.CniDataDir, "rnt-agent");
        Assert.Empty(Directory.Exists(records) ? Directory.GetFiles(records) : []);

        await File.WriteAllLinesAsync(batch, Enumerable.Range(0, 256).Select(i => $"route del blackhole {first[0]}.{first[1]}.{first[2]}.{i}/32"));
        _node.Ns.Check("ip", "-batch", batch);
        var again = (await RunAsync("ADD", NewPod(), "c2", Config())).EnsureSuccess();
        var endpoint = Assert.Single((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal(again.HostInterface, endpoint.Spec.HostInterface);
    }

    [Fact]
    public async Task Add_AgentDown_FailsWithTryAgainLaterNamingTheSocket_NothingLeft()
    {
        var pod = NewPod();
        CniCall add = null!;

        await _node.KillAndRestartAsync(async () => add = await RunAsync("ADD", pod, "c1", Config()));

        Assert.False(add.Succeeded, add.Stdout);
        Assert.Equal(11, add.ErrorCode);
        Assert.Contains($"routednet-node is not reachable at {Socket}", add.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, await AllocationsAsync());
        Assert.Empty(pod.Check("ip", "-o", "link", "show", "type", "veth").Stdout.Trim());
    }

    [Fact]
    public async Task Del_AgentDown_QueuedAndSucceeds_RestartedAgentReleasesItBeforeReady()
    {
        var pod = NewPod();
        var add = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();
        CniCall del = null!;

        await _node.KillAndRestartAsync(async () =>
        {
            del = await RunAsync("DEL", pod, "c1", Config(JsonNode.Parse(add.Stdout)!.AsObject()));
            // Torn down on the node at once; only the datastore side waits for the agent.
            Assert.False(HasVeth(add.HostInterface));
            Assert.Equal(1, Queued());
            Assert.Equal(1, await AllocationsAsync());
        });

        // Ready means drained: no waiting here.
        Assert.True(del.Succeeded, del.Stdout + del.Stderr);
        Assert.Contains($"queued in {QueueDir}", del.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await AllocationsAsync());
        Assert.Empty((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal(0, Queued());
    }

    [Fact]
    public async Task AgentRestartBetweenAddAndDel_NothingLost()
    {
        var pod = NewPod();
        var add = (await RunAsync("ADD", pod, "c1", Config())).EnsureSuccess();

        await _node.KillAndRestartAsync(() => Task.CompletedTask);
        (await RunAsync("DEL", pod, "c1", Config(JsonNode.Parse(add.Stdout)!.AsObject()))).EnsureSuccess();

        Assert.Equal(0, await AllocationsAsync());
        Assert.Empty((await _node.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal(0, Queued());
        await Eventually.Until(() => !_node.Routes().Any(r => r.StartsWith(CniNode.Bare(add.Addresses.Single()) + " ", StringComparison.Ordinal)), "the pod's route to go");
    }

    [Fact]
    public async Task Grpc_SameMethods_NewerApiVersionIsUnimplementedWithCniCode11()
    {
        var attachment = new CniAttachment { ContainerId = "g1", IfName = "eth0", Network = "rnt-agent", HandleId = "rnt-agent.g1.eth0" };
        var allocated = await _node.Api.CniAllocateAsync(new CniAllocateRequest { ApiVersion = 1, Attachment = attachment, Ipv4Count = 1 });
        Assert.Single(allocated.Addresses);

        var call = _node.Api.CniAllocateAsync(new CniAllocateRequest { ApiVersion = 2, Attachment = attachment, Ipv4Count = 1 });
        var skew = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, skew.StatusCode);
        Assert.Equal("11", call.GetTrailers().GetValue("cni-code"));
        await _node.Api.CniReleaseAsync(new CniReleaseRequest { ApiVersion = 1, Attachment = attachment });
        Assert.Equal(0, await AllocationsAsync());
    }
}
