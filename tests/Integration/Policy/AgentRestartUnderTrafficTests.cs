using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Issue 16's race check for an agent restart, under traffic with a loss count (the project's
/// standard for every change to the agent's lifecycle): numbered UDP datagrams flow from five pods
/// to one while the agent is stopped (SIGTERM, as a rolling update does, or SIGKILL, a crash) and
/// started again. The table stays in force while no agent runs, and the new agent adopts it by a
/// diff, never a flush: allowed flows lose nothing, a refused flow gets nothing through, not even
/// while the new agent lists the datastore and reprograms. Policy written while no agent ran is in
/// force once the new agent reports its revision enforced: a new allow lets a flow through from
/// then on without a loss, a deleted allow cuts its flow, established included.
/// </summary>
public sealed class AgentRestartUnderTrafficTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync(RaceChecks.AgentArgs, podPrefix: "rnrace");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private Task<(NetNs Pod, string Address, WorkloadEndpoint Endpoint)> ClientAsync(string role) =>
        _node.AddLabelledPodAsync(role, RaceChecks.Labels($"role={role}", "side=client"));

    [Theory]
    [InlineData(15)]
    [InlineData(9)]
    public async Task AgentRestarted_UnderTraffic_AllowedLoseNothing_RefusedGetNothing_ChangesWhileDownEnforcedAfter(int signal)
    {
        var a = await ClientAsync("a");
        var d = await ClientAsync("d");
        var e = await ClientAsync("e");
        var f = await ClientAsync("f");
        var dst = await _node.AddLabelledPodAsync("dst", RaceChecks.Labels("role=dst"));
        // dst admits role a and role f; e is admitted by a policy written while no agent runs,
        // f's policy is deleted then; d is never admitted.
        await _node.ApplyAsync(RaceChecks.Policy("dst-from-a", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'a'")]));
        await _node.ApplyAsync(RaceChecks.Policy("dst-from-f", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'f'")]));
        // Nobody may open a connection to a client: an echo in flight when f's flow is cut cannot
        // open it again the other way round.
        await _node.ApplyAsync(RaceChecks.Policy("clients-closed", "side == 'client'", types: [PolicySpec.TypeIngress]));

        using var refused = SequencedFlow.Open("d->dst", d.Pod, dst.Pod, dst.Address);
        using var admittedWhileDown = SequencedFlow.Open("e->dst", e.Pod, dst.Pod, dst.Address);
        using var cutWhileDown = SequencedFlow.Open("f->dst echoed", f.Pod, dst.Pod, dst.Address, echo: true);
        using var allowedEstablished = SequencedFlow.Open("a->dst echoed", a.Pod, dst.Pod, dst.Address, echo: true);
        using var allowed = SequencedFlow.Open("a->dst", a.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, admittedWhileDown, cutWhileDown, allowedEstablished, allowed);
        await RaceChecks.FlowingAsync(allowed, allowedEstablished, cutWhileDown);
        await Eventually.Until(() => cutWhileDown.Echoes > 0 && allowedEstablished.Echoes > 0, "the echoed flows to be established (replies seen)");
        var start = traffic.Next;

        long changed = 0;
        long restarting = 0;
        await _node.Node.KillAndRestartAsync(
            async () =>
            {
                await traffic.SendMoreAsync(300);
                await _node.Node.Store.DeleteAsync<NetworkPolicy>("x/dst-from-f");
                changed = PolicyNode.Revision(await _node.Node.Store.CreateAsync(RaceChecks.Policy("dst-from-e", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'e'")])));
                await traffic.SendMoreAsync(300);
                restarting = traffic.Next;
            },
            signal: signal);
        var ready = traffic.Next;
        await _node.WaitEnforcedAsync(changed);
        var enforced = traffic.Next;
        await traffic.SendMoreAsync(300);
        var end = traffic.Stop();

        var how = signal == 9 ? "kill -9 and start" : "graceful stop and start";
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, allowed, start, $"{how}: allowed all along", output: output);
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, allowedEstablished, start, $"{how}: allowed all along, established", output: output);
        RaceChecks.AssertNoneDelivered(_node.Node, refused, 0, end, $"{how}: refused all along (the new agent listing and reprogramming included)", output);
        RaceChecks.AssertNoneDelivered(_node.Node, admittedWhileDown, 0, restarting, $"{how}: refused until an allow written while the agent was down", output);
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, admittedWhileDown, enforced, $"{how}: allowed by a policy written while the agent was down, once enforced", output: output);
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, cutWhileDown, start, $"{how}: allowed until its policy was deleted while the agent was down", to: restarting, output: output);
        RaceChecks.AssertNoneDelivered(_node.Node, cutWhileDown, enforced, end, $"{how}: its allow deleted while the agent was down, once enforced (established)", output);
        output.WriteLine($"race: {how}: datagrams {start}..{end}: agent down from about {start} to {restarting}, ready at {ready}, the change enforced at {enforced}");
    }

    /// <summary>
    /// An upgrade from an agent that enforced no policy: the node has running pods and no table of
    /// ours. The new agent's first commit (table, dispatch maps, every pod's chains) goes in as one
    /// transaction, so a pod's allowed traffic never meets the fail-closed drop of an interface
    /// not yet in the maps, a pod known only from the plugin's records (no WorkloadEndpoint)
    /// included; a refused flow is cut from the enforced revision on, also one that became
    /// established while nothing enforced (the first commit revokes what the policy refuses).
    /// </summary>
    [Fact]
    public async Task AgentStarted_OnANodeWithoutItsTable_UnderTraffic_PodsKeepPassing_RefusedCutOnceEnforced()
    {
        var a = await ClientAsync("a");
        var d = await ClientAsync("d");
        var dst = await _node.AddLabelledPodAsync("dst", RaceChecks.Labels("role=dst"));
        var plain = await _node.AddPodAsync("plain", "x");
        await _node.ApplyAsync(RaceChecks.Policy("dst-from-a", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'a'")]));
        // Nobody may open a connection to d: an echo in flight when the refused established flow is
        // cut cannot open it again the other way round.
        var revision = await _node.ApplyAsync(RaceChecks.Policy("d-closed", "role == 'd'", types: [PolicySpec.TypeIngress]));

        using var refused = SequencedFlow.Open("d->dst", d.Pod, dst.Pod, dst.Address);
        using var refusedEstablished = SequencedFlow.Open("d->dst echoed", d.Pod, dst.Pod, dst.Address, echo: true);
        using var unregistered = SequencedFlow.Open("plain->a", plain.Pod, a.Pod, a.Address);
        using var allowed = SequencedFlow.Open("a->dst", a.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, refusedEstablished, unregistered, allowed);
        await RaceChecks.FlowingAsync(allowed, unregistered);

        long opened = 0;
        await _node.Node.KillAndRestartAsync(
            async () =>
            {
                // As on a node whose agent never enforced policy: no table, everything open.
                _node.Node.Ns.Check("/usr/sbin/nft", "delete", "table", "inet", "routednet");
                opened = traffic.Next;
                await RaceChecks.FlowingAsync(refused);
                await Eventually.Until(() => refusedEstablished.Echoes > 0, "the refused echoed flow to be established while nothing enforces");
            },
            signal: 15);
        var start = opened;
        await _node.WaitEnforcedAsync(revision);
        var enforced = traffic.Next;
        await traffic.SendMoreAsync(300);
        var end = traffic.Stop();

        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, allowed, start, "first start on a node without our table: allowed", output: output);
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, unregistered, start, "first start on a node without our table: a pod with no WorkloadEndpoint", output: output);
        RaceChecks.AssertNoneDelivered(_node.Node, refused, enforced, end, "first start on a node without our table: refused, once enforced", output);
        RaceChecks.AssertNoneDelivered(_node.Node, refusedEstablished, enforced, end, "first start on a node without our table: refused, established while nothing enforced, once enforced", output);
    }

    /// <summary>
    /// The table removed behind a running agent (an operator's `nft flush ruleset`): everything is
    /// open until the agent's read-back finds it gone and commits it again; flows the policy refuses
    /// that became established meanwhile are cut by that commit, and allowed flows lose nothing.
    /// </summary>
    [Fact]
    public async Task TableRemovedUnderARunningAgent_Repaired_RefusedEstablishedMeanwhileCut_AllowedLoseNothing()
    {
        var a = await ClientAsync("a");
        var d = await ClientAsync("d");
        var dst = await _node.AddLabelledPodAsync("dst", RaceChecks.Labels("role=dst"));
        await _node.ApplyAsync(RaceChecks.Policy("dst-from-a", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'a'")]));
        await _node.ApplyAsync(RaceChecks.Policy("d-closed", "role == 'd'", types: [PolicySpec.TypeIngress]));

        using var refused = SequencedFlow.Open("d->dst echoed", d.Pod, dst.Pod, dst.Address, echo: true);
        using var allowed = SequencedFlow.Open("a->dst", a.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, allowed);
        await RaceChecks.FlowingAsync(allowed);
        var start = traffic.Next;
        var before = (await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).NftBatches;

        // The agent is held (SIGSTOP) while the table is gone, so that the refused flow surely
        // becomes established before the read-back can restore it; then it runs on (SIGCONT).
        _node.Node.Agent.Signal(19);
        try
        {
            _node.Node.Ns.Check("/usr/sbin/nft", "delete", "table", "inet", "routednet");
            await Eventually.Until(() => refused.Echoes > 0, "the refused flow to be established while no table enforces");
        }
        finally
        {
            _node.Node.Agent.Signal(18);
        }
        // The status is published after the repair's commit and the revoke that followed it. Its
        // batch count, not its last pass's time: a pass that finds nothing to do (before the
        // periodic read-back has seen the table gone) is published too.
        await Eventually.Until(
            async () => (await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).NftBatches > before,
            "the agent's read-back to find the table gone and commit it again");
        var repaired = traffic.Next;
        await traffic.SendMoreAsync(300);
        var end = traffic.Stop();

        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, allowed, start, "table removed under a running agent and repaired: allowed", output: output);
        RaceChecks.AssertNoneDelivered(_node.Node, refused, repaired, end, "table removed under a running agent: refused, established while it was gone, once repaired", output);
    }
}
