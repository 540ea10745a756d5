using System.Net;
using System.Text;
using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.Tests.IpamRole;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;

namespace RoutedNet.CniPlugin.Tests.Agent;

/// <summary>
/// Issue 16: ADD's wait for the pod's policy, the plugin's client against the agent's side in
/// process: answered once the agent reports the veth programmed (for that container, from its
/// WorkloadEndpoint when asked), timed out otherwise (the pod stays closed), skipped with no agent.
/// </summary>
public sealed class PolicyWaitTests : IAsyncLifetime
{
    private readonly EndpointAcks _acks = new();
    private IpamRoleHarness _ipam = null!;
    private InProcessAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _ipam = await IpamRoleHarness.CreateAsync();
        _agent = InProcessAgent.Start(_ipam.Store, _ipam.Directory, acks: _acks);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _ipam.DisposeAsync();
    }

    private static LocalEndpoint Endpoint(string veth, string container, bool fromDatastore) =>
        new(veth, container, [IPAddress.Parse("10.0.0.1")], fromDatastore ? "net." + container + ".eth0" : null);

    private PolicyWaitOutcome Wait(string veth, string container, bool requireEndpoint, double seconds) =>
        PolicyWait.Wait(null, _agent.SocketPath, TimeSpan.FromSeconds(seconds), veth, container, requireEndpoint);

    [Fact]
    public async Task Wait_ProgrammedWhileWaiting_AnsweredProgrammed()
    {
        var waiting = Task.Run(() => Wait("rnpod1", "c1", requireEndpoint: true, seconds: 30));
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", "c1", fromDatastore: false) });
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", "c1", fromDatastore: true) });

        Assert.Equal(PolicyWaitOutcome.Programmed, await waiting);
    }

    [Theory]
    [InlineData("c0", false)] // the veth programmed for an earlier sandbox of the pod
    [InlineData("c1", false)] // programmed from the attachment record only, the WorkloadEndpoint not seen yet
    public void Wait_NotProgrammedAsAsked_TimesOut(string programmedContainer, bool fromDatastore)
    {
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", programmedContainer, fromDatastore) });

        Assert.Equal(PolicyWaitOutcome.TimedOut, Wait("rnpod1", "c1", requireEndpoint: true, seconds: 0.2));
    }

    // ADD's usual path: the endpoint registered and its policy waited for in one call.
    private PolicyWaitOutcome? Register(string veth, string container, double waitSeconds)
    {
        using var connection = AgentConnection.Connect(_agent.SocketPath);
        AgentIpam.SendRegistration(connection, AddRequest(container), veth, ["10.0.0.1/32"], TimeSpan.FromSeconds(waitSeconds));
        var answer = AgentIpam.ReceiveRegistration(connection);
        return PolicyWait.Answered(answer, TimeSpan.FromSeconds(waitSeconds), veth, container);
    }

    [Fact]
    public async Task Register_WithTheWait_AnsweredProgrammedOnceTheEndpointIs()
    {
        var registering = Task.Run(() => Register("rnpod1", "c1", waitSeconds: 30));
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", "c1", fromDatastore: false) });
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", "c1", fromDatastore: true) });

        Assert.Equal(PolicyWaitOutcome.Programmed, await registering);
        var endpoint = Assert.Single((await _ipam.Store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Equal(("rnpod1", "c1"), (endpoint.Spec.HostInterface, endpoint.Spec.ContainerID));
    }

    [Fact]
    public void Register_WithTheWait_NeverProgrammed_TimedOut()
    {
        _acks.Programmed(new Dictionary<string, LocalEndpoint> { ["rnpod1"] = Endpoint("rnpod1", "c1", fromDatastore: false) });

        Assert.Equal(PolicyWaitOutcome.TimedOut, Register("rnpod1", "c1", waitSeconds: 0.2));
    }

    // An agent older than wait_timeout_ms answers as one asked for no wait: the plugin then asks
    // CniWaitEndpointProgrammed on its own.
    [Fact]
    public void Register_NoWaitAsked_AnswerSaysNotWaited()
    {
        Assert.Null(Register("rnpod1", "c1", waitSeconds: 0));
    }

    [Fact]
    public void Register_WaitForANonWorkloadInterface_RefusedWithCode7()
    {
        var e = Assert.Throws<CniException>(() => Register("eth0", "c1", waitSeconds: 1));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("'eth0' is not a workload interface", e.Message, StringComparison.Ordinal);
    }

    private static CniRequest AddRequest(string container)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = container,
            ["CNI_NETNS"] = "/run/netns/x",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
            ["CNI_ARGS"] = "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1",
        };
        return new CniRequest(CniEnvironment.Read(k => env.GetValueOrDefault(k)), Config(""));
    }

    [Fact]
    public void Wait_NoAgentOnTheNode_NotWaited()
    {
        Assert.Equal(PolicyWaitOutcome.NotWaited, PolicyWait.Wait(null, Path.Combine(_ipam.Directory, "none.sock"), TimeSpan.FromSeconds(5), "rnpod1", "c1", false));
    }

    [Theory]
    [InlineData("", 5)]
    [InlineData(""","policyWaitTimeout":0""", 0)]
    [InlineData(""","policyWaitTimeout":2.5""", 2.5)]
    public void Timeout_DefaultFiveSeconds(string topLevel, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PolicyWait.Timeout(Config(topLevel)));
    }

    [Theory]
    [InlineData(""","policyWaitTimeout":"5s" """)]
    [InlineData(""","policyWaitTimeout":-1""")]
    [InlineData(""","policyWaitTimeout":61""")]
    public void Timeout_Invalid_OneLineCode7(string topLevel)
    {
        var e = Assert.Throws<CniException>(() => PolicyWait.Timeout(Config(topLevel)));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("\"policyWaitTimeout\" must be a number of seconds from 0 to 60", e.Message, StringComparison.Ordinal);
    }

    private static NetworkConfig Config(string topLevel) =>
        NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.0.0","name":"k8s","type":"routednet"{{{topLevel}}},"ipam":{"type":"routednet-ipam"}}"""));
}
