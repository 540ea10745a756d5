using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// Plays kubelet on one node: registers the Node (InternalIP, Hostname, Ready, the os/hostname
/// labels), then every second lists the Pods bound to it (spec.nodeName) and runs each one, a
/// host-network pod with podman (<see cref="HostNetworkPod"/>), any other as a sandbox on the pod
/// network through CNI (<see cref="NetworkedPod"/>). A pod given a deletionTimestamp is stopped
/// within its grace period and then deleted for good (gracePeriodSeconds=0), as kubelet does.
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly ResyncLoop _loop;

    public Kubelet(ClusterNode node, ControlPlane controlPlane, Podman podman, ClusterNetwork network, CniExec cni)
    {
        Node = node;
        Api = controlPlane.Api;
        CaPem = controlPlane.CaPem;
        Podman = podman;
        Network = network;
        Cni = cni;
        Prefix = network.Prefix;
        _loop = new ResyncLoop($"kubelet {node.Name}", SyncAsync);
    }

    public ClusterNode Node { get; }

    public KubeClient Api { get; }

    public string CaPem { get; }

    public Podman Podman { get; }

    public ClusterNetwork Network { get; }

    public CniExec Cni { get; }

    public string Prefix { get; }

    /// <summary>Where pods reach the API server (kubelet's KUBERNETES_SERVICE_HOST/PORT).</summary>
    public string ApiHost => ClusterNetwork.Gateway;

    public int ApiPort => ControlPlane.Port;

    /// <summary>The namespace of a networked pod, once the kubelet made it.</summary>
    public string? PodNetns(string uid) => _workers.TryGetValue(uid, out var w) && w.Runtime is NetworkedPod p ? p.Netns : null;

    public async Task RegisterAsync()
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = Node.Name,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = Node.Name,
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                },
            },
        };
        await Api.CreateAsync("/api/v1/nodes", node).ConfigureAwait(false);
        await Api.MergePatchAsync($"/api/v1/nodes/{Node.Name}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = Node.Address },
                    new JsonObject { ["type"] = "Hostname", ["address"] = Node.Name }),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "kubelet is posting ready status (routednet-test-cluster)",
                }),
            },
        }).ConfigureAwait(false);
    }

    public void Start() => _loop.Start();

    private async Task SyncAsync()
    {
        var pods = await Api.ListAsync($"/api/v1/pods?fieldSelector=spec.nodeName%3D{Node.Name}").ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var uid = (string)pod["metadata"]!["uid"]!;
            seen.Add(uid);
            var deleting = pod["metadata"]!["deletionTimestamp"] is not null;
            if (!_workers.TryGetValue(uid, out var worker))
            {
                if (deleting)
                {
                    // Never started here: nothing to stop.
                    await Api.DeleteAsync(PodPath(pod), 0).ConfigureAwait(false);
                    continue;
                }
                IPodRuntime runtime = (bool?)pod["spec"]!["hostNetwork"] == true ? new HostNetworkPod(this, pod) : new NetworkedPod(this, pod);
                worker = new PodWorker(runtime);
                _workers[uid] = worker;
                worker.Start();
            }
            if (deleting && !worker.Terminating)
            {
                var grace = (int?)pod["metadata"]!["deletionGracePeriodSeconds"] ?? (int?)pod["spec"]!["terminationGracePeriodSeconds"] ?? 30;
                var path = PodPath(pod);
                worker.Terminate(grace, async () =>
                {
                    await Api.DeleteAsync(path, 0).ConfigureAwait(false);
                    _workers.TryRemove(uid, out _);
                });
            }
        }
        // Removed without a grace period (a forced delete): stop what still runs.
        foreach (var (uid, worker) in _workers)
        {
            if (!seen.Contains(uid) && !worker.Terminating)
            {
                worker.Terminate(0, () =>
                {
                    _workers.TryRemove(uid, out _);
                    return Task.CompletedTask;
                });
            }
        }
    }

    private static string PodPath(JsonObject pod) => $"/api/v1/namespaces/{pod["metadata"]!["namespace"]}/pods/{pod["metadata"]!["name"]}";

    public async Task PatchStatusAsync(string ns, string name, JsonObject status)
    {
        try
        {
            await Api.MergePatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status", new JsonObject { ["status"] = status }).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // deleted meanwhile
        }
    }

    /// <summary>
    /// Stops the kubelet and every pod it runs, each with its grace period (SIGTERM first), as a
    /// node drained before shutdown. Pods stay in the API: the cluster is going away.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
        foreach (var worker in _workers.Values)
        {
            if (!worker.Terminating)
            {
                worker.Terminate(30, () => Task.CompletedTask);
            }
        }
        await Task.WhenAll(_workers.Values.Select(w => w.Termination!)).ConfigureAwait(false);
    }
}
