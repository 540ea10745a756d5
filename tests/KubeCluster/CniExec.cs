using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// Runs a node's CNI network (the first *.conflist or *.conf in its /etc/cni/net.d, as containerd
/// picks it) the way libcni does: each plugin in order with the network's name and cniVersion and
/// the previous plugin's result (ADD), in reverse with the cached result (DEL). The plugin runs in
/// the node's network namespace (where it makes the host-side veth) and in a private mount
/// namespace where the node's directories sit at their real paths (/run/routednet with the
/// agent's socket, /var/lib/cni/routednet, /opt/cni/bin, ...), so it finds what the agent's pod
/// put there exactly as on a real node. Pod namespaces stay the host's /run/netns (the runtime's).
/// A missing mount point is made on the host once and removed again by <see cref="Dispose"/>.
/// </summary>
public sealed class CniExec : IDisposable
{
    private static readonly string[] RuntimeOwned = ["/run/netns", "/var/run/netns"];

    private readonly List<string> _madeMountPoints = [];

    /// <summary>The node's network config file, or null while there is none (the agent writes it once ready).</summary>
    public static string? ConfigFile(ClusterNode node)
    {
        var dir = node.HostPath("/etc/cni/net.d");
        if (!Directory.Exists(dir))
        {
            return null;
        }
        return Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".conflist", StringComparison.Ordinal) || f.EndsWith(".conf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>ADD through the whole list; returns the final result (the runtime caches it for DEL).</summary>
    public async Task<JsonObject> AddAsync(ClusterNode node, JsonObject network, CniPodRef pod)
    {
        JsonObject? previous = null;
        foreach (var plugin in Plugins(network))
        {
            previous = await InvokeAsync(node, "ADD", PluginConfig(network, plugin, previous), pod).ConfigureAwait(false);
        }
        return previous ?? throw new InvalidOperationException("the network config has no plugins");
    }

    /// <summary>DEL through the list in reverse, with the cached ADD result (CNI 1.0 §"DEL").</summary>
    public async Task DelAsync(ClusterNode node, JsonObject network, CniPodRef pod, JsonObject? cachedResult)
    {
        foreach (var plugin in Plugins(network).Reverse())
        {
            await InvokeAsync(node, "DEL", PluginConfig(network, plugin, cachedResult), pod).ConfigureAwait(false);
        }
    }

    private static IEnumerable<JsonObject> Plugins(JsonObject network) =>
        network["plugins"] is JsonArray list ? list.Select(p => p!.AsObject()) : [network];

    private static JsonObject PluginConfig(JsonObject network, JsonObject plugin, JsonObject? previous)
    {
        var config = plugin.DeepClone().AsObject();
        config["name"] = network["name"]?.DeepClone();
        config["cniVersion"] = network["cniVersion"]?.DeepClone();
        if (previous is not null)
        {
            config["prevResult"] = previous.DeepClone();
        }
        return config;
    }

    private async Task<JsonObject?> InvokeAsync(ClusterNode node, string command, JsonObject config, CniPodRef pod)
    {
        var type = (string?)config["type"] ?? throw new InvalidOperationException("a plugin without \"type\"");
        var binds = new List<string>();
        foreach (var hostPath in node.HostPaths().Where(p => !RuntimeOwned.Contains(p)))
        {
            EnsureMountPoint(hostPath);
            binds.AddRange([node.HostPath(hostPath), hostPath]);
        }
        // sh: the binds, then nsenter into the node's network namespace and exec the plugin.
        const string Script = """
            set -e
            while [ "$1" != -- ]; do mount --bind "$1" "$2"; shift 2; done
            exec nsenter --net="$2" "$3"
            """;
        var env = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = pod.NetnsPath,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={pod.Namespace};K8S_POD_NAME={pod.Name};K8S_POD_INFRA_CONTAINER_ID={pod.ContainerId};K8S_POD_UID={pod.Uid}",
        };
        var result = await Proc.RunAsync(
            "unshare",
            ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script, "sh", .. binds, "--", node.NetnsPath, "/opt/cni/bin/" + type],
            stdin: config.ToJsonString(),
            env: env).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CniException($"CNI {command} of {pod.Namespace}/{pod.Name} on {node.Name} ({type}) exited {result.ExitCode}: {result.Stdout.Trim()} {result.Stderr.Trim()}");
        }
        return command == "ADD" ? JsonNode.Parse(result.Stdout)!.AsObject() : null;
    }

    private void EnsureMountPoint(string path)
    {
        lock (_madeMountPoints)
        {
            var missing = new List<string>();
            for (var dir = path; !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
            {
                missing.Add(dir);
            }
            if (missing.Count > 0)
            {
                Directory.CreateDirectory(path);
                _madeMountPoints.AddRange(missing);
            }
        }
    }

    /// <summary>Removes the mount points it made on the host (deepest first), if still empty.</summary>
    public void Dispose()
    {
        lock (_madeMountPoints)
        {
            foreach (var dir in _madeMountPoints.Distinct().OrderByDescending(d => d.Length))
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
            _madeMountPoints.Clear();
        }
    }
}
