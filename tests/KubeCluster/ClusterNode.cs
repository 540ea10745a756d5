namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// One node: its name, address and network namespace, and the directory that stands for its root
/// filesystem. A hostPath volume P of any pod on this node is <see cref="HostPath"/>(P), so each
/// node has its own /etc/cni/net.d, /opt/cni/bin, /run/routednet, ... and the CNI plugin runs with
/// those directories mounted at their real paths (<see cref="CniExec"/>).
/// </summary>
public sealed class ClusterNode
{
    private readonly HashSet<string> _hostPaths = new(StringComparer.Ordinal);

    public required string Name { get; init; }

    public required string Address { get; init; }

    public required string Netns { get; init; }

    public string NetnsPath => $"/run/netns/{Netns}";

    /// <summary>The node's "/" for hostPath volumes.</summary>
    public required string RootDir { get; init; }

    /// <summary>Where the kubelet keeps its pods' volumes (ConfigMaps, tokens), as /var/lib/kubelet/pods does.</summary>
    public string PodsDir => Path.Combine(RootDir, "var", "lib", "kubelet", "pods");

    /// <summary>The node-side directory for host path <paramref name="path"/>, remembered for the CNI plugin's view.</summary>
    public string HostPath(string path)
    {
        var normal = "/" + path.Trim('/');
        lock (_hostPaths)
        {
            _hostPaths.Add(normal);
        }
        return RootDir + normal;
    }

    /// <summary>Every host path a pod on this node has mounted so far.</summary>
    public IReadOnlyList<string> HostPaths()
    {
        lock (_hostPaths)
        {
            return [.. _hostPaths.Order(StringComparer.Ordinal)];
        }
    }
}
