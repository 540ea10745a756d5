using System.Globalization;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// What kubelet tracks of one container: running or not, since when, its restarts and back-off,
/// its last termination, and its probes (startup first; liveness and readiness only after it).
/// </summary>
public sealed class ContainerState
{
    private readonly JsonObject _container;
    private Probe? _startup;
    private Probe? _liveness;
    private Probe? _readiness;
    private DateTime _startedAt;
    private JsonObject? _lastTermination;
    private string? _startError;
    private TimeSpan _backoff = TimeSpan.FromSeconds(10);

    public ContainerState(JsonObject container) => _container = container;

    public bool Running { get; private set; }

    /// <summary>Exited for good (its pod finished): the status shows the termination, not a back-off.</summary>
    public bool Finished { get; private set; }

    public void Finish() => Finished = !Running;

    public int RestartCount { get; private set; } = -1;

    public int LastExitCode { get; private set; }

    public DateTime RestartAt { get; private set; }

    public void Started(DateTime now, ClusterNode node, string? error)
    {
        RestartCount++;
        _startError = error;
        Running = error is null;
        _startedAt = now;
        // Host-network pod: probes without a host go to the pod's IP, which is the node's.
        _startup = Probe.From(_container["startupProbe"], node, node.Address, now);
        _liveness = Probe.From(_container["livenessProbe"], node, node.Address, now);
        _readiness = Probe.From(_container["readinessProbe"], node, node.Address, now);
        if (error is not null)
        {
            Exited(128, "StartError", error, now);
        }
    }

    public void Exited(int exitCode, string reason, string message, DateTime now)
    {
        Running = false;
        LastExitCode = exitCode;
        _lastTermination = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = reason,
            ["message"] = message,
            ["startedAt"] = Timestamp(_startedAt),
            ["finishedAt"] = Timestamp(now),
        };
        // A container that ran 10 minutes resets its back-off, as kubelet's does.
        if (now - _startedAt > TimeSpan.FromMinutes(10))
        {
            _backoff = TimeSpan.FromSeconds(10);
        }
        RestartAt = now + _backoff;
        _backoff = _backoff * 2 > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : _backoff * 2;
    }

    /// <summary>Runs the due probes; returns why the container must be killed (startup or liveness failed), else null.</summary>
    public async Task<string?> ProbeAsync(DateTime now)
    {
        if (_startup is not null && !_startup.Passing)
        {
            await _startup.TickAsync(_container, now).ConfigureAwait(false);
            if (_startup.Failed)
            {
                return "Startup probe failed: " + _startup.LastError;
            }
            if (!_startup.Passing)
            {
                return null;
            }
        }
        if (_liveness is not null && await _liveness.TickAsync(_container, now).ConfigureAwait(false) && _liveness.Failed)
        {
            return "Liveness probe failed: " + _liveness.LastError;
        }
        if (_readiness is not null)
        {
            await _readiness.TickAsync(_container, now).ConfigureAwait(false);
        }
        return null;
    }

    private bool Ready => Running && (_startup?.Passing ?? true) && (_readiness?.Passing ?? true);

    public JsonObject Status()
    {
        var status = new JsonObject
        {
            ["name"] = _container["name"]!.DeepClone(),
            ["image"] = _container["image"]!.DeepClone(),
            ["imageID"] = "",
            ["ready"] = Ready,
            ["started"] = Running && (_startup?.Passing ?? true),
            ["restartCount"] = Math.Max(RestartCount, 0),
            ["state"] = Running
                ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Timestamp(_startedAt) } }
                : Finished && _lastTermination is not null
                ? new JsonObject { ["terminated"] = _lastTermination.DeepClone() }
                : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = _startError is null ? "CrashLoopBackOff" : "CreateContainerError", ["message"] = _startError ?? (string?)_lastTermination?["message"] ?? "" } },
        };
        if (_lastTermination is not null && !Finished)
        {
            status["lastState"] = new JsonObject { ["terminated"] = _lastTermination.DeepClone() };
        }
        return status;
    }

    public static JsonObject Waiting(JsonObject container, string reason, string? message) => new()
    {
        ["name"] = container["name"]!.DeepClone(),
        ["image"] = container["image"]!.DeepClone(),
        ["imageID"] = "",
        ["ready"] = false,
        ["started"] = false,
        ["restartCount"] = 0,
        ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message ?? "" } },
    };

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
