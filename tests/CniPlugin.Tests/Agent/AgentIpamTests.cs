using Google.Protobuf;
using System.Text.Json.Nodes;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.Tests.IpamRole;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.PendingReleases;

namespace RoutedNet.CniPlugin.Tests.Agent;

/// <summary>
/// Issue 14: `routednet-ipam` with "datastoreAccess": "agent" asks its node agent (in process
/// here: the real CniAgent over sqlite behind the real framing) and never opens the store; an
/// agent that is away fails ADD with 11 naming the socket and makes DEL queue its release, which
/// the agent carries out later without touching a newer ADD of the same attachment.
/// </summary>
public sealed class AgentIpamTests : IAsyncLifetime
{
    private IpamRoleHarness _ipam = null!;
    private InProcessAgent? _agent;

    private string Socket => Path.Combine(_ipam.Directory, "node.sock");

    private string DataDir => Path.Combine(_ipam.Directory, "cni");

    public async Task InitializeAsync()
    {
        _ipam = await IpamRoleHarness.CreateAsync();
        _agent = InProcessAgent.Start(_ipam.Store, _ipam.Directory);
    }

    public async Task DisposeAsync()
    {
        await StopAgentAsync();
        await _ipam.DisposeAsync();
    }

    private async Task StopAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
            _agent = null;
        }
    }

    // The harness's config names a sqlite store and node "n1": through the agent neither is used.
    private JsonObject Config(params (string Key, JsonNode? Value)[] extra) =>
        _ipam.Config("k8s", "n1", [("datastoreAccess", "agent"), ("agentSocket", Socket), ("dataDir", DataDir), .. extra]);

    private async Task<IReadOnlyList<System.Net.IPAddress>> HeldAsync(string container) =>
        await new IpamClient(_ipam.Store).GetHandleAddressesAsync($"k8s.{container}.eth0");

    private PendingReleaseQueue Queue => PendingReleaseQueue.ForDataDir(DataDir);

    [Fact]
    public async Task Add_ThroughAgent_AddressFromTheAgentsNodeHeldByTheHandle()
    {
        var address = _ipam.Add(Config(), "c1").Single();

        Assert.Equal([address.Split('/')[0]], (await HeldAsync("c1")).Select(a => a.ToString()));
        var affinity = Assert.Single((await _ipam.Store.ListAsync<BlockAffinity>()).Items);
        Assert.Equal("node-a", affinity.Spec.Node);
    }

    [Fact]
    public async Task Del_ThroughAgent_Released()
    {
        _ipam.Add(Config(), "c1");

        var (exit, output) = _ipam.Run("DEL", Config(), "c1");

        Assert.True(exit == 0, output.ToString());
        Assert.Empty(await HeldAsync("c1"));
        Assert.Equal(0, Queue.Count());
    }

    [Fact]
    public async Task CheckAndGc_ThroughAgent()
    {
        var kept = _ipam.Add(Config(), "c1").Single();
        _ipam.Add(Config(), "c2");
        var prev = new JsonObject { ["cniVersion"] = "1.1.0", ["ips"] = new JsonArray(new JsonObject { ["address"] = kept }) };

        Assert.Equal(0, _ipam.Run("CHECK", Config(("prevResult", prev)), "c1").Exit);
        var (exit, output) = _ipam.Run("CHECK", Config(("prevResult", prev.DeepClone())), "c2");
        Assert.Equal(CniErrorCode.CheckFailed, exit == 0 ? 0 : output.GetProperty("code").GetInt32());

        var live = new JsonArray(new JsonObject { ["containerID"] = "c1", ["ifname"] = "eth0" });
        Assert.Equal(0, _ipam.Run("GC", Config(("cni.dev/valid-attachments", live))).Exit);
        Assert.Single(await HeldAsync("c1"));
        Assert.Empty(await HeldAsync("c2"));
    }

    [Fact]
    public async Task Add_AgentDown_TryAgainLaterNamingTheSocket_NothingAllocated()
    {
        await StopAgentAsync();

        var (exit, output) = _ipam.Run("ADD", Config(), "c1");

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, output.GetProperty("code").GetInt32());
        Assert.Contains($"routednet-node is not reachable at {Socket}", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _ipam.Store.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task Del_AgentDown_QueuedAndSucceeds_AgentBackReleasesIt()
    {
        _ipam.Add(Config(), "c1");
        await StopAgentAsync();

        var (exit, output) = _ipam.Run("DEL", Config(), "c1");

        Assert.True(exit == 0, output.ToString());
        Assert.Equal(1, Queue.Count());
        Assert.Single(await HeldAsync("c1"));
        _agent = InProcessAgent.Start(_ipam.Store, _ipam.Directory);
        Assert.Equal(1, await _agent.Agent.DrainAsync(CancellationToken.None));
        Assert.Empty(await HeldAsync("c1"));
        Assert.Equal(0, Queue.Count());
    }

    [Fact]
    public async Task Drain_CorruptEntryBesideAGoodOne_GoodOneCarriedOut_CorruptSetAside()
    {
        _ipam.Add(Config(), "c1");
        await StopAgentAsync();
        Assert.Equal(0, _ipam.Run("DEL", Config(), "c1").Exit);
        var corrupt = Path.Combine(Queue.Directory, PendingRelease.FileNameFor("k8s.torn.eth0"));
        await File.WriteAllTextAsync(corrupt, "routednet-pending-release 1\nk8s.torn");
        _agent = InProcessAgent.Start(_ipam.Store, _ipam.Directory);

        Assert.Equal(1, await _agent.Agent.DrainAsync(CancellationToken.None));

        Assert.Empty(await HeldAsync("c1"));
        Assert.True(File.Exists(corrupt + PendingReleaseQueue.CorruptExtension));
        Assert.Equal(0, Queue.Count());
    }

    [Fact]
    public async Task QueuedDel_ThenAddOfTheSameAttachment_NewAddressKeptByLaterDrain()
    {
        _ipam.Add(Config(), "c1");
        await StopAgentAsync();
        Assert.Equal(0, _ipam.Run("DEL", Config(), "c1").Exit);
        _agent = InProcessAgent.Start(_ipam.Store, _ipam.Directory);

        // The runtime retries the sandbox with the same id before the agent's drain came round.
        var again = _ipam.Add(Config(), "c1").Single();
        await _agent.Agent.DrainAsync(CancellationToken.None);

        Assert.Equal([again.Split('/')[0]], (await HeldAsync("c1")).Select(a => a.ToString()));
        Assert.Equal(0, Queue.Count());
    }

    [Fact]
    public async Task OlderAgent_Unimplemented_AddTryAgainLater_DelQueued()
    {
        // What an agent from before these methods answers (gRPC status 12, UNIMPLEMENTED).
        _agent!.Answer = (_, _) => (12, new Felix.Api.V1.CniError { GrpcCode = 12, CniCode = 11, Message = "no such method" }.ToByteArray());

        var (exit, output) = _ipam.Run("ADD", Config(), "c1");
        var del = _ipam.Run("DEL", Config(), "c2");

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, output.GetProperty("code").GetInt32());
        Assert.Contains("does not serve CniAllocate at API version 1", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.True(del.Exit == 0, del.Output.ToString());
        Assert.Equal(1, Queue.Count());
    }

    [Fact]
    public async Task Add_PluginNewerThanAgent_AgentAnswersUnimplemented()
    {
        var request = new Felix.Api.V1.CniAllocateRequest
        {
            ApiVersion = 2,
            Attachment = new Felix.Api.V1.CniAttachment { ContainerId = "c1", IfName = "eth0", Network = "k8s", HandleId = "k8s.c1.eth0" },
            Ipv4Count = 1,
        };

        var (status, answer) = await Felix.Cni.CniFraming.DispatchAsync(_agent!.Agent, Felix.Cni.CniFraming.Allocate, request.ToByteArray(), CancellationToken.None);

        Assert.Equal(12, status);
        var error = Felix.Api.V1.CniError.Parser.ParseFrom(answer);
        Assert.Equal(11u, error.CniCode);
        Assert.Empty(await HeldAsync("c1"));
    }
}
