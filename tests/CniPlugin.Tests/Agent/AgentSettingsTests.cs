using System.Text;
using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests.Agent;

/// <summary>Issue 14: which path the plugin takes ("datastoreAccess") and where it finds its agent.</summary>
public sealed class AgentSettingsTests
{
    private static AgentSettings From(string topLevel, string? datastoreEnv = null)
    {
        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.0.0","name":"k8s","type":"routednet"{{{topLevel}}},"ipam":{"type":"routednet-ipam"}}"""));
        return AgentSettings.From(config, k => k == "ROUTEDNET_DATASTORE" ? datastoreEnv : null);
    }

    [Theory]
    [InlineData("", null, false)]
    [InlineData(""","datastore":"etcd://10.0.0.1:2379" """, null, false)]
    [InlineData(""","datastore":"sqlite:///var/lib/routednet/store.db","datastoreAccess":"agent" """, null, true)]
    [InlineData(""","datastore":"kubernetes" """, null, true)]
    [InlineData("", "kubernetes", true)]
    [InlineData(""","datastoreAccess":"direct" """, "etcd://10.0.0.1:2379", false)]
    public void UseAgent_DefaultDirectExceptKubernetes(string topLevel, string? env, bool expected)
    {
        Assert.Equal(expected, From(topLevel, env).UseAgent);
    }

    [Fact]
    public void Defaults_TheAgentsSocketAndTheDataDir()
    {
        var settings = From("");

        Assert.Equal("/run/routednet/node.sock", settings.Socket);
        Assert.Equal("/var/lib/cni/routednet", settings.DataDir);
    }

    [Theory]
    [InlineData(""","datastore":"kubernetes","datastoreAccess":"direct" """, "only through its node agent")]
    [InlineData(""","datastoreAccess":"sometimes" """, "must be \"agent\" or \"direct\"")]
    [InlineData(""","datastoreAccess":"agent","agentSocket":"node.sock" """, "must be an absolute path")]
    public void Invalid_Code7NamingTheKey(string topLevel, string expected)
    {
        var error = Assert.Throws<CniException>(() => From(topLevel));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
