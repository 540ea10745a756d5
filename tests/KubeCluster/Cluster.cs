using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// A Kubernetes cluster on one machine for the chart's end-to-end test and for exploring by hand:
/// the stand-in API server in the tor namespace (<see cref="ControlPlane"/>), N node namespaces on
/// its bridge, the image loaded into a private podman store, a kubelet per node, the DaemonSet
/// controller and the Job controller. The real helm installs into it (<see cref="ControlPlane.HelmAsync"/>). Disposing
/// stops the kubelets (pods get SIGTERM), the controller, the API server, removes the containers,
/// images, namespaces and directories: everything it made, by id.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly List<Kubelet> _kubelets = [];
    private readonly bool _ownsDir;
    private DaemonSetController? _controller;
    private JobController? _jobs;

    private Cluster(string dir, bool ownsDir, ClusterNetwork network)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Network = network;
        Podman = new Podman(Path.Combine(dir, "podman"));
    }

    public string Dir { get; }

    public ClusterNetwork Network { get; }

    public Podman Podman { get; }

    public CniExec Cni { get; } = new();

    public ControlPlane ControlPlane { get; private set; } = null!;

    public IReadOnlyList<Kubelet> Kubelets => _kubelets;

    /// <summary>The image references the archive held (`podman load` prints them).</summary>
    public IReadOnlyList<string> Images { get; private set; } = [];

    public static async Task<Cluster> StartAsync(ClusterOptions options)
    {
        Root.Require();
        if (!File.Exists(options.ImageArchive))
        {
            throw new InvalidOperationException($"{options.ImageArchive} is missing: build it with `./build.sh image`");
        }
        var dir = options.Dir ?? Path.Combine(Path.GetTempPath(), "rnk-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var cluster = new Cluster(dir, options.Dir is null, ClusterNetwork.Create());
        try
        {
            cluster.ControlPlane = await ControlPlane.StartAsync(cluster.Network, Path.Combine(dir, "apiserver")).ConfigureAwait(false);
            var load = await cluster.Podman.CheckAsync("load", "--input", options.ImageArchive).ConfigureAwait(false);
            cluster.Images = load.Split('\n').Where(l => l.StartsWith("Loaded image", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).ToList();
            for (var i = 1; i <= options.Nodes; i++)
            {
                await cluster.AddNodeAsync(i).ConfigureAwait(false);
            }
            cluster._controller = new DaemonSetController(cluster.ControlPlane.Api);
            cluster._controller.Start();
            cluster._jobs = new JobController(cluster.ControlPlane.Api);
            cluster._jobs.Start();
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    private async Task AddNodeAsync(int index)
    {
        var name = $"node{index}";
        var node = new ClusterNode
        {
            Name = name,
            Address = ClusterNetwork.NodeAddress(index),
            Netns = Network.AddNode(name, index),
            RootDir = Path.Combine(Dir, "nodes", name),
        };
        Directory.CreateDirectory(node.RootDir);
        var kubelet = new Kubelet(node, ControlPlane, Podman, Network, Cni);
        _kubelets.Add(kubelet);
        await kubelet.RegisterAsync().ConfigureAwait(false);
        kubelet.Start();
    }

    public Kubelet Kubelet(string nodeName) => _kubelets.First(k => k.Node.Name == nodeName);

    /// <summary>Creates a pod on the pod network, bound to <paramref name="nodeName"/> (as the scheduler would bind it).</summary>
    public Task<JsonObject> CreatePodAsync(string ns, string name, string nodeName) =>
        ControlPlane.Api.CreateAsync($"/api/v1/namespaces/{ns}/pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "ping" } },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = nodeName,
                ["terminationGracePeriodSeconds"] = 5,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.k8s.io/pause:3.10" }),
            },
        });

    public async ValueTask DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync().ConfigureAwait(false);
        }
        if (_jobs is not null)
        {
            await _jobs.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var kubelet in _kubelets)
        {
            await kubelet.DisposeAsync().ConfigureAwait(false);
        }
        await Podman.CleanAsync().ConfigureAwait(false);
        ControlPlane?.Dispose();
        Cni.Dispose();
        Network.Dispose();
        if (_ownsDir)
        {
            ScratchDirectory.Remove(Dir);
        }
    }
}
