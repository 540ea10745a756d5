using System.Globalization;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// A host-network pod (the agent's DaemonSet pod) run with podman in its node's network namespace,
/// as kubelet runs one: volumes, then the init containers one at a time to completion, then the
/// containers; startup, liveness and readiness probes; a container that exits, or fails its
/// liveness probe, is restarted under the restart policy with kubelet's back-off (10 s doubling to
/// 5 min); what happens is written to the Pod's status (phase, conditions, container states,
/// restart counts). A pod whose restart policy lets it finish (a Job's) ends Succeeded or Failed. Termination is kubelet's: SIGTERM, then SIGKILL after the grace period.
/// </summary>
public sealed class HostNetworkPod : IPodRuntime
{
    private readonly Kubelet _kubelet;
    private readonly JsonObject _pod;
    private readonly Dictionary<string, ContainerState> _states = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _initStatuses = [];
    private string _lastStatus = "";
    private bool _initialized;

    public HostNetworkPod(Kubelet kubelet, JsonObject pod)
    {
        _kubelet = kubelet;
        _pod = pod;
    }

    private string Namespace => (string)_pod["metadata"]!["namespace"]!;

    private string Name => (string)_pod["metadata"]!["name"]!;

    private JsonObject Spec => _pod["spec"]!.AsObject();

    private IEnumerable<JsonObject> Containers => Spec["containers"]!.AsArray().Select(c => c!.AsObject());

    private string ContainerName(JsonObject container) => $"{_kubelet.Prefix}-{Name}-{(string)container["name"]!}";

    public async Task RunAsync(CancellationToken stop)
    {
        PodVolumes volumes;
        while (true)
        {
            try
            {
                volumes = await PodVolumes.PrepareAsync(_kubelet.Node, _pod, _kubelet.Api, _kubelet.CaPem).ConfigureAwait(false);
                await RequireImagesAsync().ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is InvalidOperationException or KubeApiException)
            {
                await ReportAsync("Pending", e.Message).ConfigureAwait(false);
                await Task.Delay(2000, stop).ConfigureAwait(false);
            }
        }
        foreach (var init in Spec["initContainers"]?.AsArray().Select(c => c!.AsObject()) ?? [])
        {
            await RunInitAsync(init, volumes, stop).ConfigureAwait(false);
        }
        _initialized = true;
        foreach (var container in Containers)
        {
            await StartAsync(container, volumes).ConfigureAwait(false);
        }
        while (!stop.IsCancellationRequested)
        {
            await SuperviseAsync(volumes).ConfigureAwait(false);
            if (TerminalPhase() is { } phase)
            {
                // Run to completion (a Job's pod): its containers stay until the pod is deleted.
                foreach (var state in _states.Values)
                {
                    state.Finish();
                }
                await ReportAsync(phase, null).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            await ReportAsync("Running", null).ConfigureAwait(false);
            await Task.Delay(1000, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Succeeded or Failed once no container runs or will run again under the restart policy
    /// (Never: all exited; OnFailure: all exited 0), as kubelet's getPhase; null while running.
    /// </summary>
    private string? TerminalPhase()
    {
        var policy = (string?)Spec["restartPolicy"] ?? "Always";
        var states = Containers.Select(c => _states[ContainerName(c)]).ToList();
        if (policy == "Always" || states.Any(s => s.Running))
        {
            return null;
        }
        var allSucceeded = states.All(s => s.LastExitCode == 0);
        return policy == "Never" ? allSucceeded ? "Succeeded" : "Failed"
            : allSucceeded ? "Succeeded" : null;
    }

    public async Task StopAsync(int gracePeriodSeconds)
    {
        var names = Containers.Select(ContainerName).ToList();
        // podman stop: SIGTERM (or the image's StopSignal), SIGKILL once the grace period is over.
        await Task.WhenAll(names.Select(n => _kubelet.Podman.RunAsync(["stop", "--ignore", "--time", gracePeriodSeconds.ToString(CultureInfo.InvariantCulture), n], TimeSpan.FromSeconds(gracePeriodSeconds + 30)))).ConfigureAwait(false);
        await SaveLogsAsync(names.Concat(InitNames())).ConfigureAwait(false);
        await _kubelet.Podman.RunAsync(["rm", "--force", "--ignore", .. names, .. InitNames()]).ConfigureAwait(false);
    }

    /// <summary>Keeps each container's output in the node's /var/log/pods/NS_POD_UID/CONTAINER.log, as kubelet keeps it past the container.</summary>
    private async Task SaveLogsAsync(IEnumerable<string> names)
    {
        var dir = _kubelet.Node.HostPath($"/var/log/pods/{Namespace}_{Name}_{(string)_pod["metadata"]!["uid"]!}");
        Directory.CreateDirectory(dir);
        foreach (var name in names)
        {
            var logs = await _kubelet.Podman.RunAsync("logs", name).ConfigureAwait(false);
            if (logs.Succeeded)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, name[(_kubelet.Prefix.Length + Name.Length + 2)..] + ".log"), logs.Stdout + logs.Stderr).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<string> InitNames() => Spec["initContainers"]?.AsArray().Select(c => ContainerName(c!.AsObject())) ?? [];

    private async Task RequireImagesAsync()
    {
        foreach (var container in Containers.Concat(Spec["initContainers"]?.AsArray().Select(c => c!.AsObject()) ?? []))
        {
            var image = (string)container["image"]!;
            if (!(await _kubelet.Podman.RunAsync("image", "exists", image).ConfigureAwait(false)).Succeeded)
            {
                // No registry here: the image must have been loaded onto the node (`podman load`, `ctr images import`).
                throw new InvalidOperationException($"ErrImageNeverPull: image {image} is not present on {_kubelet.Node.Name} and cannot be pulled");
            }
        }
    }

    private async Task RunInitAsync(JsonObject init, PodVolumes volumes, CancellationToken stop)
    {
        var backoff = TimeSpan.FromSeconds(10);
        var restarts = 0;
        while (true)
        {
            var name = ContainerName(init);
            await _kubelet.Podman.RunAsync("rm", "--force", "--ignore", name).ConfigureAwait(false);
            var run = await _kubelet.Podman.RunAsync(await ContainerArgs.BuildAsync(_kubelet.Node, _pod, init, volumes, _kubelet.Api, name, _kubelet.ApiHost, _kubelet.ApiPort).ConfigureAwait(false), TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            var exit = -1;
            if (run.Succeeded)
            {
                var waited = await _kubelet.Podman.RunAsync(["wait", name], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
                exit = int.TryParse(waited.Stdout.Trim(), CultureInfo.InvariantCulture, out var code) ? code : -1;
            }
            var status = new JsonObject
            {
                ["name"] = init["name"]!.DeepClone(),
                ["image"] = init["image"]!.DeepClone(),
                ["ready"] = exit == 0,
                ["restartCount"] = restarts,
                ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exit, ["reason"] = exit == 0 ? "Completed" : "Error", ["message"] = run.Succeeded ? await LogsAsync(name).ConfigureAwait(false) : run.Stderr.Trim() } },
            };
            _initStatuses.RemoveAll(s => (string?)s["name"] == (string?)init["name"]);
            _initStatuses.Add(status);
            if (exit == 0)
            {
                return;
            }
            await ReportAsync("Pending", $"init container {init["name"]} failed ({exit})").ConfigureAwait(false);
            if ((string?)Spec["restartPolicy"] == "Never")
            {
                await ReportAsync("Failed", $"init container {init["name"]} failed").ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            await Task.Delay(backoff, stop).ConfigureAwait(false);
            backoff = Min(backoff * 2, TimeSpan.FromMinutes(5));
            restarts++;
        }
    }

    private async Task StartAsync(JsonObject container, PodVolumes volumes)
    {
        var name = ContainerName(container);
        var state = _states.TryGetValue(name, out var s) ? s : _states[name] = new ContainerState(container);
        await _kubelet.Podman.RunAsync("rm", "--force", "--ignore", name).ConfigureAwait(false);
        var run = await _kubelet.Podman.RunAsync(await ContainerArgs.BuildAsync(_kubelet.Node, _pod, container, volumes, _kubelet.Api, name, _kubelet.ApiHost, _kubelet.ApiPort).ConfigureAwait(false), TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        state.Started(DateTime.UtcNow, _kubelet.Node, run.Succeeded ? null : run.Stderr.Trim());
    }

    private async Task SuperviseAsync(PodVolumes volumes)
    {
        var now = DateTime.UtcNow;
        foreach (var container in Containers)
        {
            var name = ContainerName(container);
            var state = _states[name];
            if (state.Running)
            {
                var inspect = await _kubelet.Podman.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).ConfigureAwait(false);
                var fields = inspect.Stdout.Trim().Split(' ');
                if (!inspect.Succeeded || fields[0] is "exited" or "stopped")
                {
                    var exit = fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var code) ? code : -1;
                    state.Exited(exit, exit == 0 ? "Completed" : "Error", await LogsAsync(name).ConfigureAwait(false), now);
                }
                else if (await state.ProbeAsync(now).ConfigureAwait(false) is { } liveness)
                {
                    // Liveness (or startup) failed: kubelet kills the container and the policy restarts it.
                    var grace = (int?)Spec["terminationGracePeriodSeconds"] ?? 30;
                    await _kubelet.Podman.RunAsync(["stop", "--time", grace.ToString(CultureInfo.InvariantCulture), name], TimeSpan.FromSeconds(grace + 30)).ConfigureAwait(false);
                    state.Exited(137, "Error", liveness, now);
                }
            }
            else if ((string?)Spec["restartPolicy"] is null or "Always" || ((string?)Spec["restartPolicy"] == "OnFailure" && state.LastExitCode != 0))
            {
                if (now >= state.RestartAt)
                {
                    await StartAsync(container, volumes).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<string> LogsAsync(string name)
    {
        var logs = await _kubelet.Podman.RunAsync("logs", "--tail", "5", name).ConfigureAwait(false);
        return (logs.Stdout + logs.Stderr).Trim();
    }

    /// <summary>Writes the pod's status when it changed (merge patch on pods/status, as kubelet's status manager does).</summary>
    private async Task ReportAsync(string phase, string? message)
    {
        var containers = Containers.Select(c => _states.TryGetValue(ContainerName(c), out var s) ? s.Status() : ContainerState.Waiting(c, message is null ? "PodInitializing" : "ContainerCreating", message)).ToList();
        var ready = _initialized && containers.All(c => (bool?)c["ready"] == true);
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = _kubelet.Node.Address,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = _kubelet.Node.Address }),
            ["podIP"] = _kubelet.Node.Address,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = _kubelet.Node.Address }),
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", true),
                Condition("Initialized", _initialized),
                Condition("ContainersReady", ready),
                Condition("Ready", ready)),
            ["initContainerStatuses"] = new JsonArray([.. _initStatuses.Select(s => s.DeepClone())]),
            ["containerStatuses"] = new JsonArray([.. containers]),
        };
        if (message is not null)
        {
            status["message"] = message;
        }
        var text = status.ToJsonString();
        if (text == _lastStatus)
        {
            return;
        }
        await _kubelet.PatchStatusAsync(Namespace, Name, status).ConfigureAwait(false);
        _lastStatus = text;
    }

    internal static JsonObject Condition(string type, bool value) =>
        new() { ["type"] = type, ["status"] = value ? "True" : "False" };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
