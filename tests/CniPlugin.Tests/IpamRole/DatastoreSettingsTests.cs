using System.Net;
using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>Issue 3, where no agent runs: the config's "datastore" beats ROUTEDNET_DATASTORE beats the default; "nodeName" beats NODENAME beats the host name.</summary>
public class DatastoreSettingsTests
{
    private static DatastoreSettings From(string topLevel, params (string Key, string Value)[] env)
    {
        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet"{{{topLevel}}},"ipam":{"type":"routednet-ipam"}}"""));
        var variables = env.ToDictionary(e => e.Key, e => e.Value);
        // No agent on this node: the node name comes from the config, the environment or the host name.
        return DatastoreSettings.From(config, k => variables.GetValueOrDefault(k), _ => null);
    }

    [Fact]
    public void From_ConfigAndEnvironment_ConfigWins()
    {
        var settings = From(""","datastore":"etcd://10.0.0.1:2379","nodeName":"from-config" """,
            (DatastoreUrl.EnvironmentVariable, "sqlite:///tmp/env.db"), (DatastoreSettings.NodeNameVariable, "from-env"));

        Assert.Equal("etcd://10.0.0.1:2379", settings.Url.Text);
        Assert.Equal("from-config", settings.NodeName);
        Assert.True(settings.Explicit);
    }

    [Fact]
    public void From_OnlyEnvironment_EnvironmentUsed()
    {
        var settings = From("", (DatastoreUrl.EnvironmentVariable, "sqlite:///tmp/env.db"), (DatastoreSettings.NodeNameVariable, "from-env"));

        Assert.Equal("sqlite:///tmp/env.db", settings.Url.Text);
        Assert.Equal("from-env", settings.NodeName);
        Assert.True(settings.Explicit);
    }

    [Fact]
    public void From_NothingSet_DefaultStoreAndHostName()
    {
        var settings = From(""","datastore":"","nodeName":"" """, (DatastoreUrl.EnvironmentVariable, " "), (DatastoreSettings.NodeNameVariable, ""));

        Assert.Equal(DatastoreUrl.Default, settings.Url.Text);
        Assert.Equal(Dns.GetHostName(), settings.NodeName);
        Assert.False(settings.Explicit);
    }

    [Theory]
    [InlineData(""","datastore":"mysql://db" """)]
    [InlineData(""","datastore":"etcd://" """)]
    public void From_BadDatastoreUrl_InvalidNetworkConfig(string topLevel)
    {
        var error = Assert.Throws<CniException>(() => From(topLevel));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.StartsWith("datastore:", error.Message, StringComparison.Ordinal);
    }
}
