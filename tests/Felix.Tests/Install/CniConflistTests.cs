using System.Text.Json;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>The conflist the agent writes: its own settings, typed, the same bytes for the same settings.</summary>
public sealed class CniConflistTests
{
    private static AgentOptions Options(string datastore = "sqlite:///var/lib/routednet/store.db", int mtu = 0) => new()
    {
        NodeName = "n1",
        Datastore = datastore,
        ApiSocket = "/run/routednet/node.sock",
        CniDataDir = "/var/lib/cni/routednet",
        CniConfDir = "/host/etc/cni/net.d",
        CniMtu = mtu,
    };

    [Fact]
    public void Render_Kubernetes_PluginAsksItsAgentWithTheAgentsPaths()
    {
        using var document = JsonDocument.Parse(CniConflist.Render(Options("kubernetes", 1450)));
        var root = document.RootElement;

        Assert.Equal("1.0.0", root.GetProperty("cniVersion").GetString());
        Assert.Equal("routednet", root.GetProperty("name").GetString());
        var plugin = Assert.Single(root.GetProperty("plugins").EnumerateArray());
        Assert.Equal(
            """{"type":"routednet","datastore":"kubernetes","datastoreAccess":"agent","agentSocket":"/run/routednet/node.sock","dataDir":"/var/lib/cni/routednet","mtu":1450,"ipam":{"type":"routednet-ipam"}}""",
            JsonSerializer.Serialize(plugin));
    }

    [Fact]
    public void Render_SqliteNoMtu_NoDatastoreKeyNoMtuKey()
    {
        using var document = JsonDocument.Parse(CniConflist.Render(Options()));
        var plugin = document.RootElement.GetProperty("plugins")[0];

        Assert.False(plugin.TryGetProperty("datastore", out _));
        Assert.False(plugin.TryGetProperty("mtu", out _));
        Assert.Equal("agent", plugin.GetProperty("datastoreAccess").GetString());
    }

    [Fact]
    public void Render_SameSettings_SameBytes()
    {
        Assert.Equal(CniConflist.Render(Options("kubernetes")), CniConflist.Render(Options("kubernetes")));
        Assert.NotEqual(CniConflist.Render(Options("kubernetes")), CniConflist.Render(Options("kubernetes", 1400)));
    }

    [Fact]
    public void PathFor_DefaultName_05RoutednetConflistInTheConfDir()
    {
        Assert.Equal("/host/etc/cni/net.d/05-routednet.conflist", CniConflist.PathFor(Options()));
        Assert.Null(CniConflist.PathFor(Options() with { CniConfDir = null }));
    }
}
