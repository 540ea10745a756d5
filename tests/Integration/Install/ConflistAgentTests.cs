using System.Text.Json.Nodes;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Cni;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Install;

/// <summary>
/// The published routednet-node with --cni-conf-dir writes its conflist once ready (0644, its
/// own socket and data dir), the real plugin ADDs and DELs a pod through exactly that file as a
/// runtime would (libcni hands each plugin its entry with the list's name and cniVersion), and a
/// normal stop (SIGTERM, no uninstall: not on Kubernetes) leaves the file in place.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ConflistAgentTests : IAsyncLifetime
{
    private readonly string _confDir = Directory.CreateTempSubdirectory("rnt-netd-").FullName;
    private NodeAgentScope _node = null!;
    private NetNs? _pod;

    public async Task InitializeAsync()
    {
        _node = await NodeAgentScope.StartAsync(nodeName: "rnt-conf-node", extraArgs: ["--cni-conf-dir", _confDir, "--cni-mtu", "1400"]);
        await _node.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.252.0.0/24", BlockSize = 28 } });
    }

    public async Task DisposeAsync()
    {
        _pod?.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_confDir, recursive: true);
    }

    private string ConflistPath => Path.Combine(_confDir, "05-routednet.conflist");

    /// <summary>The network config a runtime passes the first plugin of the list (libcni's rule).</summary>
    private JsonObject PluginConfig(JsonObject? prevResult = null)
    {
        var list = JsonNode.Parse(File.ReadAllText(ConflistPath))!.AsObject();
        var plugin = list["plugins"]![0]!.DeepClone().AsObject();
        plugin["cniVersion"] = list["cniVersion"]!.DeepClone();
        plugin["name"] = list["name"]!.DeepClone();
        if (prevResult is not null)
        {
            plugin["prevResult"] = prevResult.DeepClone();
        }
        return plugin;
    }

    private async Task<CniCall> RunAsync(string command, JsonObject config)
    {
        var result = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, RepoPaths.Binary("routednet")], config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = _pod!.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = RepoPaths.OutBin,
            ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0",
        });
        return new CniCall(command, result.ExitCode, result.Stdout, result.Stderr);
    }

    [Fact]
    public async Task Agent_Ready_Conflist0644WithItsSocketAndDataDir_PluginAddsAndDelsThroughIt_StopLeavesIt()
    {
        // Ready (the scope waited for it) means written: /readyz waits for the file.
        Assert.True(File.Exists(ConflistPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(ConflistPath));
        var plugin = PluginConfig();
        Assert.Equal((_node.ApiSocket, _node.CniDataDir, "agent", 1400), ((string?)plugin["agentSocket"], (string?)plugin["dataDir"], (string?)plugin["datastoreAccess"], (int?)plugin["mtu"]));
        _pod = NetNs.Create();

        var add = (await RunAsync("ADD", plugin)).EnsureSuccess();

        var address = Assert.Single(add.Addresses);
        Assert.Equal("10.252.0", string.Join('.', CniNode.Bare(address).Split('.')[..3]));
        Assert.Contains("mtu 1400", _pod.Check("ip", "link", "show", "eth0").Stdout, StringComparison.Ordinal);
        await Eventually.Until(() => _node.Routes().Any(r => r.StartsWith(CniNode.Bare(address) + " dev " + add.HostInterface, StringComparison.Ordinal)), "the agent to route the pod");
        (await RunAsync("DEL", PluginConfig(JsonNode.Parse(add.Stdout)!.AsObject()))).EnsureSuccess();

        _node.Agent.Signal(15);
        Assert.True(_node.Agent.WaitForExit(TimeSpan.FromSeconds(20)), "the agent did not stop on SIGTERM");
        Assert.True(File.Exists(ConflistPath), "a normal stop removed the conflist");
        Assert.Equal(plugin.ToJsonString(), PluginConfig().ToJsonString());
    }
}
