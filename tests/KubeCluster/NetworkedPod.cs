using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// A pod on the pod network, played as its sandbox only (no containers: the tests ping from the
/// namespace): kubelet's runtime makes a network namespace and runs CNI ADD with the node's
/// network config and binaries; until the agent has written that config the pod waits
/// ("network plugin not ready"), and a refused ADD is undone (DEL) and retried, as the runtime
/// does. The result's addresses become status.podIPs. Stopping runs DEL with the cached result,
/// retried while the plugin refuses, and removes the namespace.
/// </summary>
public sealed class NetworkedPod : IPodRuntime
{
    private readonly Kubelet _kubelet;
    private readonly JsonObject _pod;
    private readonly string _containerId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private string? _netns;
    private JsonObject? _network;
    private JsonObject? _result;

    public NetworkedPod(Kubelet kubelet, JsonObject pod)
    {
        _kubelet = kubelet;
        _pod = pod;
    }

    /// <summary>The pod's network namespace (for tests to ping from), once made.</summary>
    public string? Netns => _netns;

    private string Namespace => (string)_pod["metadata"]!["namespace"]!;

    private string Name => (string)_pod["metadata"]!["name"]!;

    private CniPodRef Ref => new(Namespace, Name, (string)_pod["metadata"]!["uid"]!, _containerId, $"/run/netns/{_netns}");

    public async Task RunAsync(CancellationToken stop)
    {
        var reported = "";
        while (_result is null)
        {
            var file = CniExec.ConfigFile(_kubelet.Node);
            string problem;
            if (file is null)
            {
                problem = "network plugin not ready: no CNI configuration file in /etc/cni/net.d";
            }
            else
            {
                _netns ??= _kubelet.Network.AddPodNamespace(_containerId[..12]);
                _network = JsonNode.Parse(await File.ReadAllTextAsync(file, stop).ConfigureAwait(false))!.AsObject();
                try
                {
                    _result = await _kubelet.Cni.AddAsync(_kubelet.Node, _network, Ref).ConfigureAwait(false);
                    break;
                }
                catch (CniException e)
                {
                    problem = e.Message;
                    await DelQuietlyAsync().ConfigureAwait(false);
                }
            }
            if (problem != reported)
            {
                await ReportAsync("Pending", problem, []).ConfigureAwait(false);
                reported = problem;
            }
            await Task.Delay(1000, stop).ConfigureAwait(false);
        }
        var ips = _result["ips"]?.AsArray().Select(ip => ((string)ip!["address"]!).Split('/')[0]).ToList() ?? [];
        await ReportAsync("Running", null, ips).ConfigureAwait(false);
        await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
    }

    public async Task StopAsync(int gracePeriodSeconds)
    {
        if (_netns is null || _network is null)
        {
            return;
        }
        // The plugin may refuse while the agent restarts (it queues what it can): retry within the grace period.
        var deadline = DateTime.UtcNow.AddSeconds(Math.Max(gracePeriodSeconds, 10));
        while (true)
        {
            try
            {
                await _kubelet.Cni.DelAsync(_kubelet.Node, _network, Ref, _result).ConfigureAwait(false);
                break;
            }
            catch (CniException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000).ConfigureAwait(false);
            }
        }
        _kubelet.Network.DeleteNamespace(_netns);
    }

    private async Task DelQuietlyAsync()
    {
        try
        {
            await _kubelet.Cni.DelAsync(_kubelet.Node, _network!, Ref, null).ConfigureAwait(false);
        }
        catch (CniException)
        {
            // the next ADD tries again; a DEL that failed leaves what the next DEL removes
        }
    }

    private Task ReportAsync(string phase, string? message, List<string> ips)
    {
        var running = phase == "Running";
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = _kubelet.Node.Address,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = _kubelet.Node.Address }),
            ["conditions"] = new JsonArray(
                HostNetworkPod.Condition("PodScheduled", true),
                HostNetworkPod.Condition("Initialized", true),
                HostNetworkPod.Condition("ContainersReady", running),
                HostNetworkPod.Condition("Ready", running)),
        };
        if (ips.Count > 0)
        {
            status["podIP"] = ips[0];
            status["podIPs"] = new JsonArray([.. ips.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]);
        }
        if (message is not null)
        {
            status["message"] = message;
            status["reason"] = "ContainerCreating";
        }
        return _kubelet.PatchStatusAsync(Namespace, Name, status);
    }
}
