using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using Xunit.Abstractions;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// The race check of a policy edit, under traffic with a loss count: a policy's selector is
/// rewritten again and again between two forms that decide the same for the flows under test
/// (`role == 'a'` and `role in {'a', 'z'}`), so every edit makes a new selector set, fills it,
/// refills the policy's chain to use it and deletes the old set, in one nf_tables transaction.
/// An allow edited so never loses a datagram; a deny edited so, over an allow-all, never lets one
/// through (a rule that referred to a set not yet filled would).
/// </summary>
public sealed class PolicyEditRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Edits = 20;
    private const int RoundsPerState = 40;
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync(RaceChecks.AgentArgs, podPrefix: "rnrace");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static GlobalNetworkPolicy AdminDeny(string source) => new()
    {
        Metadata = new ObjectMeta { Name = "open-deny" },
        Spec = new PolicySpec
        {
            Tier = PolicySpec.TierAdmin,
            Selector = "role == 'open'",
            Types = [PolicySpec.TypeIngress],
            Ingress = [new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = source } }, new PolicyRule { Action = PolicyRule.ActionPass }],
        },
    };

    [Fact]
    public async Task PolicyEdits_BetweenEquivalentSelectors_UnderTraffic_AllowedLoseNothing_DeniedGetNothing()
    {
        var a = await _node.AddLabelledPodAsync("a", RaceChecks.Labels("role=a"));
        var c = await _node.AddLabelledPodAsync("c", RaceChecks.Labels("role=c"));
        var closed = await _node.AddLabelledPodAsync("closed", RaceChecks.Labels("role=closed"));
        var open = await _node.AddLabelledPodAsync("open", RaceChecks.Labels("role=open"));
        // "closed" admits role a only (the policy being edited); "open" admits everyone but for
        // the admin tier's Deny of role c (the other policy being edited).
        var allow = await _node.Node.Store.CreateAsync(RaceChecks.Policy("closed-from-a", "role == 'closed'", ingress: [RaceChecks.AllowFrom("role == 'a'")]));
        await _node.WaitEnforcedAsync(PolicyNode.Revision(allow));
        await _node.ApplyAsync(RaceChecks.Policy("open-to-all", "role == 'open'", ingress: [RaceChecks.AllowAll()]));
        var deny = await _node.Node.Store.CreateAsync(AdminDeny("role == 'c'"));
        await _node.WaitEnforcedAsync(PolicyNode.Revision(deny));

        using var refusedByAllow = SequencedFlow.Open("c->closed", c.Pod, closed.Pod, closed.Address);
        using var refusedByDeny = SequencedFlow.Open("c->open", c.Pod, open.Pod, open.Address);
        using var allowed = SequencedFlow.Open("a->closed", a.Pod, closed.Pod, closed.Address);
        using var control = SequencedFlow.Open("a->open", a.Pod, open.Pod, open.Address);
        using var traffic = SequencedTraffic.Start(refusedByAllow, refusedByDeny, allowed, control);
        await RaceChecks.FlowingAsync(allowed, control);
        var start = traffic.Next;
        var batches = (await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).NftBatches;

        for (var i = 0; i < Edits; i++)
        {
            var even = i % 2 == 0;
            allow = await _node.Node.Store.UpdateAsync(allow with
            {
                Metadata = allow.Metadata with { ResourceVersion = null },
                Spec = allow.Spec with { Ingress = [RaceChecks.AllowFrom(even ? "role in {'a', 'z'}" : "role == 'a'")] },
            });
            deny = await _node.Node.Store.UpdateAsync(AdminDeny(even ? "role in {'c', 'w'}" : "role == 'c'"));
            await _node.WaitEnforcedAsync(Math.Max(PolicyNode.Revision(allow), PolicyNode.Revision(deny)));
            await traffic.SendMoreAsync(RoundsPerState);
        }
        var end = traffic.Stop();
        // Each edit changed the table (a new set, the chain refilled): at least one commit each.
        var committed = (await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).NftBatches - batches;
        Assert.True(committed >= Edits, $"{Edits} edits made only {committed} commits");

        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, control, start, "control, allowed all along", output: output);
        await RaceChecks.AssertNoneLostAsync(_node.Node, traffic, allowed, start, $"{Edits} edits of the allow's selector between equivalent forms", output: output);
        RaceChecks.AssertNoneDelivered(_node.Node, refusedByAllow, 0, end, $"{Edits} edits of the allow's selector, the flow allowed by neither form", output);
        RaceChecks.AssertNoneDelivered(_node.Node, refusedByDeny, 0, end, $"{Edits} edits of the admin deny's selector between equivalent forms", output);
    }
}
