using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>
/// `routednet-ipam` run in process through the CNI protocol (environment and stdin as a runtime
/// passes them) against a sqlite store in a fresh temp directory with one pool.
/// </summary>
internal sealed class IpamRoleHarness : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("rn-ipamrole-").FullName;

    private IpamRoleHarness()
    {
    }

    public IStore Store { get; private set; } = null!;

    public string Url => "sqlite://" + Path.Combine(_directory, "store.db");

    public string Directory => _directory;

    public static async Task<IpamRoleHarness> CreateAsync()
    {
        var harness = new IpamRoleHarness();
        harness.Store = await StoreFactory.OpenAsync(harness.Url);
        await harness.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16", BlockSize = 26 } });
        return harness;
    }

    /// <summary>The network config a runtime would send: this store, the node, grace 0, and <paramref name="extra"/> top-level keys.</summary>
    public JsonObject Config(string network, string node, params (string Key, JsonNode? Value)[] extra)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["name"] = network,
            ["type"] = "routednet",
            ["datastore"] = Url,
            ["nodeName"] = node,
            ["ipam"] = new JsonObject { ["type"] = "routednet-ipam", ["gcGracePeriodSeconds"] = 0 },
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }
        return config;
    }

    /// <summary>Runs one verb; returns the exit code and stdout (the result or the error).</summary>
    public (int Exit, JsonElement Output) Run(string command, JsonObject config, string containerId = "", Func<string, string?>? variables = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = "/run/netns/unused",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/usr/lib/cni",
        };
        Func<string, string?> get = k => env.GetValueOrDefault(k) ?? variables?.Invoke(k);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(config.ToJsonString()));
        using var output = new MemoryStream();
        var exit = CniRunner.Run(new IpamRolePlugin(get), get, input, output, Stream.Null);
        var text = Encoding.UTF8.GetString(output.ToArray());
        return (exit, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>ADD that must succeed; returns the result's addresses.</summary>
    public List<string> Add(JsonObject config, string containerId)
    {
        var (exit, output) = Run("ADD", config, containerId);
        Assert.True(exit == 0, output.ToString());
        return [.. output.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!)];
    }

    public async Task<List<string>> HandleIdsAsync() =>
        [.. (await Store.ListAsync<IPAMHandle>()).Items.Select(h => h.Spec.HandleId).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
