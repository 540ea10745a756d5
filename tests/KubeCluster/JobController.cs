using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// Plays kube-controller-manager's Job controller and garbage collector for Jobs, once a second
/// (the chart's post-delete hook is a Job, and helm waits for its Complete or Failed condition):
/// a Job with no terminal condition gets startTime, then one Pod at a time (its template, an owner
/// reference, the template's labels, spec.nodeName = a Ready node matching the nodeSelector, as
/// the scheduler binds it), which the kubelets run; a Succeeded pod completes it (conditions
/// SuccessCriteriaMet then Complete, completionTime), a Failed pod is replaced after kubelet-like
/// back-off (10 s doubling) until more than backoffLimit failed (FailureTarget then Failed,
/// BackoffLimitExceeded), and activeDeadlineSeconds past startTime fails it (DeadlineExceeded)
/// and deletes its running pod. status counts active, ready, succeeded, failed and terminating
/// pods as the real controller does. Pods whose Job is gone are deleted (helm deletes a hook Job
/// with background propagation). Not played: parallelism or completions above 1, indexed jobs,
/// podFailurePolicy, suspend, the job-tracking finalizer on pods, ttlSecondsAfterFinished.
/// What helm 4 reads (pkg/kube statusWaiter.WatchUntilReady, the default hookOnly strategy): a
/// kstatus list+watch of the Job in its namespace, Current once a Complete condition is True,
/// Failed (terminal: the hook failed) once a Failed condition is True, in progress otherwise;
/// hook deletion is background propagation, not waited for.
/// </summary>
public sealed class JobController : IAsyncDisposable
{
    private readonly KubeClient _api;
    private readonly ResyncLoop _loop;

    public JobController(KubeClient api)
    {
        _api = api;
        _loop = new ResyncLoop("job controller", () => SyncAsync(DateTime.UtcNow));
    }

    public void Start() => _loop.Start();

    private async Task SyncAsync(DateTime now)
    {
        var jobs = await _api.ListAsync("/apis/batch/v1/jobs").ConfigureAwait(false);
        var pods = await _api.ListAsync("/api/v1/pods").ConfigureAwait(false);
        var owners = jobs.Select(j => (string)j["metadata"]!["uid"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in pods.Where(p => OwnerUid(p) is { } uid && !owners.Contains(uid) && p["metadata"]!["deletionTimestamp"] is null))
        {
            await DeleteAsync(orphan).ConfigureAwait(false);
        }
        foreach (var job in jobs.Where(j => j["metadata"]!["deletionTimestamp"] is null && !Finished(j)))
        {
            await SyncOneAsync(job, pods.Where(p => OwnerUid(p) == (string)job["metadata"]!["uid"]!).ToList(), now).ConfigureAwait(false);
        }
    }

    private async Task SyncOneAsync(JsonObject job, List<JsonObject> pods, DateTime now)
    {
        var spec = job["spec"]!.AsObject();
        var status = job["status"] as JsonObject ?? [];
        var startTime = (string?)status["startTime"] ?? Timestamp(now);
        var started = DateTime.Parse(startTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var live = pods.Where(p => p["metadata"]!["deletionTimestamp"] is null).ToList();
        var succeeded = pods.Count(p => Phase(p) == "Succeeded");
        var failed = pods.Count(p => Phase(p) == "Failed");
        var active = live.Where(p => Phase(p) is not ("Succeeded" or "Failed")).ToList();
        var conditions = new JsonArray();

        var completions = (int?)spec["completions"] ?? 1;
        var backoffLimit = (int?)spec["backoffLimit"] ?? 6;
        var deadline = (long?)spec["activeDeadlineSeconds"];
        string? completionTime = null;
        if (succeeded >= completions)
        {
            conditions.Add(Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now));
            conditions.Add(Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
            completionTime = Timestamp(now);
        }
        else if (failed > backoffLimit)
        {
            conditions.Add(Condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
            conditions.Add(Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
        }
        else if (deadline is { } seconds && now - started >= TimeSpan.FromSeconds(seconds))
        {
            conditions.Add(Condition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline", now));
            conditions.Add(Condition("Failed", "DeadlineExceeded", "Job was active longer than specified deadline", now));
        }
        var done = conditions.Count > 0;
        if (done)
        {
            // A finished Job's running pods are terminated (the deadline, or the limit reached).
            foreach (var pod in active)
            {
                await DeleteAsync(pod).ConfigureAwait(false);
            }
            active.Clear();
        }
        else if (active.Count == 0 && now >= RetryAt(pods, failed))
        {
            if (await CreatePodAsync(job).ConfigureAwait(false) is { } created)
            {
                active.Add(created);
            }
        }
        var next = new JsonObject
        {
            ["startTime"] = startTime,
            ["active"] = active.Count,
            ["ready"] = active.Count(DaemonSetController.Ready),
            ["succeeded"] = succeeded,
            ["failed"] = failed,
            ["terminating"] = pods.Count(p => p["metadata"]!["deletionTimestamp"] is not null),
            ["uncountedTerminatedPods"] = new JsonObject(),
        };
        if (done)
        {
            next["conditions"] = conditions;
        }
        if (completionTime is not null)
        {
            next["completionTime"] = completionTime;
        }
        // Zero counts are omitted in the real status (omitempty).
        foreach (var field in (string[])["active", "ready", "succeeded", "failed", "terminating"])
        {
            if ((int)next[field]! == 0)
            {
                next.Remove(field);
            }
        }
        if (status.ToJsonString() != next.ToJsonString())
        {
            await _api.ReplaceAsync($"/apis/batch/v1/namespaces/{job["metadata"]!["namespace"]}/jobs/{job["metadata"]!["name"]}/status", WithStatus(job, next)).ConfigureAwait(false);
        }
    }

    private static JsonObject WithStatus(JsonObject job, JsonObject status)
    {
        var copy = job.DeepClone().AsObject();
        copy["status"] = status;
        return copy;
    }

    /// <summary>When a failed pod may be replaced: 10 s after the last failure, doubling with each, at most 6 min (the controller's pod back-off).</summary>
    private static DateTime RetryAt(List<JsonObject> pods, int failed)
    {
        if (failed == 0)
        {
            return DateTime.MinValue;
        }
        var last = pods.Where(p => Phase(p) == "Failed")
            .Select(p => (string?)p["status"]?["containerStatuses"]?[0]?["state"]?["terminated"]?["finishedAt"])
            .Where(t => t is not null)
            .Select(t => DateTime.Parse(t!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        var delay = TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, failed - 1), 360));
        return last == DateTime.MinValue ? DateTime.MinValue : last + delay;
    }

    private async Task<JsonObject?> CreatePodAsync(JsonObject job)
    {
        var template = job["spec"]!["template"]!.AsObject();
        var spec = template["spec"]!.DeepClone().AsObject();
        var nodes = (await _api.ListAsync("/api/v1/nodes").ConfigureAwait(false))
            .Where(n => Ready(n) && Matches(spec["nodeSelector"] as JsonObject, n))
            .Select(n => (string)n["metadata"]!["name"]!)
            .ToList();
        if (nodes.Count == 0)
        {
            // Unschedulable: the scheduler would keep it Pending; try again on the next round.
            return null;
        }
        spec["nodeName"] = nodes[RandomNumberGenerator.GetInt32(nodes.Count)];
        var name = (string)job["metadata"]!["name"]!;
        var ns = (string)job["metadata"]!["namespace"]!;
        var metadata = template["metadata"]?.DeepClone().AsObject() ?? [];
        metadata.Remove("name");
        metadata["generateName"] = name + "-";
        metadata["namespace"] = ns;
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["name"] = name,
            ["uid"] = job["metadata"]!["uid"]!.DeepClone(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        return await _api.CreateAsync($"/api/v1/namespaces/{ns}/pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(JsonObject pod)
    {
        try
        {
            await _api.DeleteAsync($"/api/v1/namespaces/{pod["metadata"]!["namespace"]}/pods/{pod["metadata"]!["name"]}").ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // gone meanwhile
        }
    }

    private static JsonObject Condition(string type, string reason, string message, DateTime now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = Timestamp(now),
        ["lastTransitionTime"] = Timestamp(now),
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>Whether the Job has its terminal condition (Complete or Failed, True).</summary>
    public static bool Finished(JsonObject job) =>
        job["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] is "Complete" or "Failed" && (string?)c["status"] == "True") == true;

    private static string? Phase(JsonObject pod) => (string?)pod["status"]?["phase"];

    private static bool Ready(JsonObject node) =>
        node["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true;

    private static bool Matches(JsonObject? selector, JsonObject node) =>
        selector is null || selector.All(p => (string?)node["metadata"]!["labels"]?[p.Key] == (string?)p.Value);

    private static string? OwnerUid(JsonObject pod) =>
        (string?)pod["metadata"]!["ownerReferences"]?.AsArray().FirstOrDefault(o => (string?)o!["kind"] == "Job" && (string?)o["apiVersion"] == "batch/v1")?["uid"];

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
    }
}
