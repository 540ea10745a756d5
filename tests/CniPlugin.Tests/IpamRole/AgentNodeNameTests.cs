using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>Issue 13 item 3: where an agent runs, the plugin uses the agent's node name; a configured one that differs is an error naming both.</summary>
public sealed class AgentNodeNameTests
{
    private static string Resolve(string topLevel, string? agentFile, params (string Key, string Value)[] env)
    {
        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet"{{{topLevel}}},"ipam":{"type":"routednet-ipam"}}"""));
        var variables = env.ToDictionary(e => e.Key, e => e.Value);
        return AgentNodeName.Resolve(config, k => variables.GetValueOrDefault(k), path => path == "/run/rn-test/nodename" ? agentFile : null);
    }

    [Fact]
    public void Resolve_AgentFileOnly_AgentsName()
    {
        Assert.Equal("agent-node", Resolve(""","agentSocket":"/run/rn-test/node.sock" """, "agent-node\n"));
    }

    [Fact]
    public void Resolve_ConfiguredNameAgrees_Accepted()
    {
        Assert.Equal("agent-node", Resolve(""","agentSocket":"/run/rn-test/node.sock","nodeName":"agent-node" """, "agent-node"));
    }

    [Theory]
    [InlineData(""","agentSocket":"/run/rn-test/node.sock","nodeName":"other" """, null, "\"nodeName\" 'other'")]
    [InlineData(""","agentSocket":"/run/rn-test/node.sock" """, "other", "NODENAME 'other'")]
    public void Resolve_ConfiguredNameDiffers_InvalidConfigNamingBoth(string topLevel, string? nodeNameEnv, string expected)
    {
        var env = nodeNameEnv is null ? [] : new[] { (AgentNodeName.NodeNameVariable, nodeNameEnv) };

        var error = Assert.Throws<CniException>(() => Resolve(topLevel, "agent-node", env));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'agent-node', the node name of the agent at /run/rn-test/node.sock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExplicitAgentSocketWithoutFile_TryAgainLater()
    {
        var error = Assert.Throws<CniException>(() => Resolve(""","agentSocket":"/run/rn-test/node.sock","nodeName":"n1" """, null));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains("/run/rn-test/nodename", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RelativeAgentSocket_InvalidConfig()
    {
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, Assert.Throws<CniException>(() => Resolve(""","agentSocket":"node.sock" """, null)).Code);
    }
}
