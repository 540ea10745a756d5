using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>The agent keeps its Node resource: what an operator deletes or rewrites behind its back comes back.</summary>
public sealed class AgentNodeTests : IAsyncLifetime
{
    private NodeAgentScope _node = null!;

    public async Task InitializeAsync() => _node = await NodeAgentScope.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>Issue 13 item 3: the CNI plugin takes the node name from here (netconf "agentSocket"), not from its own guess.</summary>
    [Fact]
    public void Agent_Started_WritesItsNodeNameNextToItsApiSocket()
    {
        var file = Path.Combine(_node.StateDir, "nodename");

        Assert.True(File.Exists(file), $"{file} missing");
        Assert.Equal(_node.NodeName, File.ReadAllText(file).Trim());
    }

    [Fact]
    public async Task Agent_NodeDeleted_RegisteredAgain()
    {
        var registered = await _node.Store.GetAsync<Node>(_node.NodeName);

        await _node.Store.DeleteAsync<Node>(_node.NodeName);

        await Eventually.Until(
            async () => await _node.Store.TryGetAsync<Node>(_node.NodeName) is { } node
                && node.Spec.Addresses.SequenceEqual(registered.Spec.Addresses),
            "the agent to register its deleted Node again");
        Assert.Contains(NodeAgentScope.DefaultNodeIp, string.Join(' ', registered.Spec.Addresses), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_NodeAddressesOverwritten_RestoredAndTheOperatorsAsNumberKept()
    {
        var registered = await _node.Store.GetAsync<Node>(_node.NodeName);

        await _node.Store.UpdateAsync(registered with { Spec = registered.Spec with { Addresses = ["192.0.2.99"], AsNumber = 65123 } });

        await Eventually.Until(
            async () => (await _node.Store.GetAsync<Node>(_node.NodeName)).Spec.Addresses.SequenceEqual(registered.Spec.Addresses),
            "the agent to restore its Node's addresses");
        Assert.Equal(65123u, (await _node.Store.GetAsync<Node>(_node.NodeName)).Spec.AsNumber);
    }
}
