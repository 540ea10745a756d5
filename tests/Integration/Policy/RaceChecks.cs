using System.Globalization;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// What the race checks share (the single-node ones here and the kubernetes-datastore ones in
/// AgentOnKubernetesTests): the policies they write (Calico-shape NetworkPolicies of namespace x)
/// and the loss and leak counts they assert, each also written to the test output when given one
/// ("race: …") so a run reports its numbers whether it passes or not.
/// </summary>
internal static class RaceChecks
{
    /// <summary>
    /// The agent reads its table back and repairs drift ten times a second (90 s by default), so
    /// that read-backs and their diffs run under the traffic too, between and during the changes.
    /// </summary>
    public static readonly IReadOnlyList<string> AgentArgs = ["--policy-resync-interval", "100ms"];

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    public static NetworkPolicy Policy(string name, string selector, IReadOnlyList<PolicyRule>? ingress = null, IReadOnlyList<PolicyRule>? egress = null, IReadOnlyList<string>? types = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "x" },
        Spec = new PolicySpec { Selector = selector, Types = types, Ingress = ingress, Egress = egress },
    };

    public static PolicyRule AllowFrom(string selector) => new() { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = selector } };

    public static PolicyRule AllowAll() => new() { Action = PolicyRule.ActionAllow };

    /// <summary>Waits until every flow has delivered a datagram: routes, neighbours and carriers are up.</summary>
    public static Task FlowingAsync(params SequencedFlow[] flows) =>
        Eventually.Until(() => flows.All(f => f.ReceivedIn(0, long.MaxValue) > 0), $"{string.Join(", ", flows.Select(f => f.Name))} to deliver");

    /// <summary>
    /// Every datagram of <paramref name="flow"/> numbered from <paramref name="from"/> to <paramref name="to"/> (default: the end)
    /// arrived; a failure quotes the log of <paramref name="node"/>'s agent, the one enforcing the policy.
    /// </summary>
    public static async Task AssertNoneLostAsync(NodeAgentScope node, SequencedTraffic traffic, SequencedFlow flow, long from, string what, long? to = null, ITestOutputHelper? output = null)
    {
        var missing = (await traffic.DrainAsync(flow, from)).Where(s => to is null || s < to).ToList();
        var end = to ?? traffic.Next;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"race: {what}: flow {flow.Name}: {end - from} datagrams sent, {missing.Count} lost"));
        Assert.True(missing.Count == 0, string.Create(CultureInfo.InvariantCulture, $"{what}: {missing.Count} of {end - from} datagrams that policy allowed at every moment were lost: {SequencedFlow.Ranges(missing)}; {flow.Diagnostics()}\n{node.Agent.Log()}"));
    }

    /// <summary>
    /// None of the datagrams of <paramref name="flow"/> numbered [<paramref name="from"/>, <paramref name="to"/>) arrived;
    /// a failure quotes the log of <paramref name="node"/>'s agent, the one enforcing the policy.
    /// </summary>
    public static void AssertNoneDelivered(NodeAgentScope node, SequencedFlow flow, long from, long to, string what, ITestOutputHelper? output = null)
    {
        var delivered = flow.ReceivedIn(from, to);
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"race: {what}: flow {flow.Name}: {to - from} datagrams sent, {delivered} delivered"));
        Assert.True(delivered == 0, string.Create(CultureInfo.InvariantCulture, $"{what}: {delivered} of {to - from} datagrams that policy refused were delivered: {flow.DescribeReceivedIn(from, to)}; {flow.Diagnostics()}\n{node.Agent.Log()}"));
    }
}
