using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Allocation;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>
/// Issue 13 item 3 through the CNI protocol: `routednet-node` writes its node name to `nodename`
/// next to its API socket, and `routednet-ipam` allocates for that node.
/// </summary>
public sealed class IpamRoleNodeNameTests
{
    /// <summary>The repro: the plugin guessed its own name apart from the agent's, so the block went to the wrong node.</summary>
    [Fact]
    public async Task Add_AgentWroteItsNodeName_AllocationAndBlockAreTheAgentsNode()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        var socket = Path.Combine(ipam.Directory, "agent", "node.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(socket)!, "nodename"), "agent-node\n");
        var config = ipam.Config("k8s", "unused", ("agentSocket", socket));
        config.Remove("nodeName");

        ipam.Add(config, "c1");

        var block = Assert.Single((await ipam.Store.ListAsync<IPAMBlock>()).Items);
        Assert.Equal("host:agent-node", block.Spec.Affinity);
        Assert.All(block.Spec.Attributes, a => Assert.Equal("agent-node", a.Secondary![AttributeKeys.Node]));
    }

    [Fact]
    public async Task Add_ConfiguredNodeNameDiffersFromAgents_RefusedNothingAllocated()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        var socket = Path.Combine(ipam.Directory, "agent", "node.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(socket)!, "nodename"), "agent-node\n");

        var (exit, output) = ipam.Run("ADD", ipam.Config("k8s", "other-node", ("agentSocket", socket)), "c1");

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, output.GetProperty("code").GetInt32());
        Assert.Contains("'other-node' differs from 'agent-node'", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Empty((await ipam.Store.ListAsync<IPAMHandle>()).Items);
    }

    [Fact]
    public async Task Del_ExplicitAgentSocketWithoutFile_StillReleases()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        ipam.Add(ipam.Config("k8s", "n1"), "c1");
        var config = ipam.Config("k8s", "n1", ("agentSocket", Path.Combine(ipam.Directory, "none", "node.sock")));

        var (exit, output) = ipam.Run("DEL", config, "c1");

        Assert.True(exit == 0, output.ToString());
        Assert.Empty((await ipam.Store.ListAsync<IPAMHandle>()).Items);
    }
}
