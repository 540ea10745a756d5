using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Issue 16, policy in force: pods wired by the real plugin, their WorkloadEndpoints (labels,
/// namespace) in the agent's sqlite store, policies written to the store; after each change the
/// test waits until the agent reports the change's revision enforced (GetPolicyStatus, as the lab
/// suite does), then pings. Kubernetes NetworkPolicy (default deny, allow from a label), a
/// GlobalNetworkPolicy deny in the admin tier over a Kubernetes allow, a label flip, a delete.
/// </summary>
public sealed class AgentPolicyEnforcementTests : IAsyncLifetime
{
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<(NetNs Pod, string Address, WorkloadEndpoint Endpoint)> PodAsync(string name, string app)
    {
        var (pod, address, veth) = await _node.AddPodAsync(name, "x");
        var endpoint = await _node.Node.Store.CreateAsync(new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = $"routednet.{name}.eth0", Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new WorkloadEndpointSpec
            {
                Pod = name,
                Namespace = "x",
                ContainerID = name,
                Interface = "eth0",
                HostInterface = veth,
                IPNetworks = [address + "/32"],
                Node = _node.Node.NodeName,
            },
        });
        await _node.WaitEnforcedAsync(long.Parse(endpoint.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.Until(() => PolicyNode.Pings(pod, _node.Node.Ns.Name.Length > 0 ? address : address), $"{name} to be up");
        return (pod, address, endpoint);
    }

    private async Task<long> ApplyAsync<T>(T resource)
        where T : Resource, IResourceKind<T>
    {
        var written = await _node.Node.Store.CreateAsync(resource);
        var revision = long.Parse(written.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);
        await _node.WaitEnforcedAsync(revision);
        return revision;
    }

    private static KubernetesNetworkPolicy AllowFrom(string name, string app) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "x" },
        Spec = new KubernetesNetworkPolicySpec
        {
            PodSelector = new LabelSelector(),
            Ingress = [new KubernetesIngressRule { From = [new KubernetesPeer { PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } } }] }],
        },
    };

    [Fact]
    public async Task KubernetesPolicy_AllowFromLabel_OthersDropped_ThenGlobalAdminDenyWins_ThenDeleteReopens()
    {
        var a = await PodAsync("a", "a");
        var b = await PodAsync("b", "b");
        var c = await PodAsync("c", "c");
        await Eventually.Until(() => PolicyNode.Pings(a.Pod, b.Address) && PolicyNode.Pings(c.Pod, b.Address), "every pod to reach every pod before any policy");

        await ApplyAsync(AllowFrom("allow-from-a", "a"));

        Assert.True(PolicyNode.Pings(a.Pod, b.Address), "x/a -> x/b: allowed from app=a");
        Assert.True(PolicyNode.Pings(a.Pod, c.Address), "x/a -> x/c: allowed from app=a");
        Assert.False(PolicyNode.Pings(c.Pod, b.Address), "x/c -> x/b: only app=a may reach pods of x");
        Assert.False(PolicyNode.Pings(b.Pod, a.Address), "x/b -> x/a: only app=a may reach pods of x");

        var deny = new GlobalNetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "admin-deny-to-c" },
            Spec = new PolicySpec
            {
                Tier = PolicySpec.TierAdmin,
                Order = 10,
                Selector = "app == 'c'",
                Types = [PolicySpec.TypeIngress],
                Ingress = [new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = "app == 'a'" } }, new PolicyRule { Action = PolicyRule.ActionPass }],
            },
        };
        await ApplyAsync(deny);

        Assert.False(PolicyNode.Pings(a.Pod, c.Address), "x/a -> x/c: the admin tier's Deny comes before the namespace's Allow");
        Assert.True(PolicyNode.Pings(a.Pod, b.Address), "x/a -> x/b: the admin policy does not select x/b");

        // A label flip: b becomes app=a, so it may reach c's neighbours, and the admin deny's source set holds it now.
        var relabelled = await _node.Node.Store.UpdateAsync(b.Endpoint with { Metadata = b.Endpoint.Metadata with { Labels = new Dictionary<string, string> { ["app"] = "a" }, ResourceVersion = null } });
        await _node.WaitEnforcedAsync(long.Parse(relabelled.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(PolicyNode.Pings(b.Pod, a.Address), "x/b (now app=a) -> x/a");
        Assert.False(PolicyNode.Pings(b.Pod, c.Address), "x/b (now app=a) -> x/c: denied by the admin tier");

        await _node.Node.Store.DeleteAsync<GlobalNetworkPolicy>("admin-deny-to-c");
        await _node.Node.Store.DeleteAsync<KubernetesNetworkPolicy>("x/allow-from-a");
        var marker = await _node.Node.Store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "marker" } });
        await _node.WaitEnforcedAsync(long.Parse(marker.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(PolicyNode.Pings(c.Pod, b.Address), "x/c -> x/b after every policy was deleted");
        Assert.True(PolicyNode.Pings(a.Pod, c.Address), "x/a -> x/c after every policy was deleted");
    }
}
