using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// Plays kube-controller-manager's DaemonSet controller and garbage collector, once a second:
/// every DaemonSet gets one Pod per matching node (its template, spec.nodeName set, an owner
/// reference, label controller-revision-hash = a hash of the template); when the template changes
/// (`helm upgrade`) a RollingUpdate replaces old pods one node at a time within maxUnavailable:
/// delete an old pod (the kubelet stops it with its grace period), create the new one once the old
/// is gone, and touch the next node only when the new pod is Ready. Pods whose DaemonSet is gone
/// are deleted (background propagation: `helm uninstall`). The DaemonSet's status is kept.
/// Tolerations are not checked: the nodes have no taints.
/// </summary>
public sealed class DaemonSetController : IAsyncDisposable
{
    private readonly KubeClient _api;
    private readonly ResyncLoop _loop;

    public DaemonSetController(KubeClient api)
    {
        _api = api;
        _loop = new ResyncLoop("daemonset controller", SyncAsync);
    }

    public void Start() => _loop.Start();

    public static string TemplateHash(JsonObject daemonSet) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(daemonSet["spec"]!["template"]!.ToJsonString())))[..10];

    private async Task SyncAsync()
    {
        var daemonSets = await _api.ListAsync("/apis/apps/v1/daemonsets").ConfigureAwait(false);
        var nodes = await _api.ListAsync("/api/v1/nodes").ConfigureAwait(false);
        var pods = await _api.ListAsync("/api/v1/pods").ConfigureAwait(false);
        var owners = daemonSets.Select(d => (string)d["metadata"]!["uid"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in pods.Where(p => OwnerUid(p) is { } uid && !owners.Contains(uid) && p["metadata"]!["deletionTimestamp"] is null))
        {
            await _api.DeleteAsync($"/api/v1/namespaces/{orphan["metadata"]!["namespace"]}/pods/{orphan["metadata"]!["name"]}").ConfigureAwait(false);
        }
        foreach (var ds in daemonSets)
        {
            await SyncOneAsync(ds, nodes, pods.Where(p => OwnerUid(p) == (string)ds["metadata"]!["uid"]!).ToList()).ConfigureAwait(false);
        }
    }

    private async Task SyncOneAsync(JsonObject ds, List<JsonObject> nodes, List<JsonObject> pods)
    {
        var ns = (string)ds["metadata"]!["namespace"]!;
        var hash = TemplateHash(ds);
        var template = ds["spec"]!["template"]!.AsObject();
        var selected = nodes.Where(n => Matches(template["spec"]?["nodeSelector"] as JsonObject, n)).Select(n => (string)n["metadata"]!["name"]!).ToList();
        var byNode = pods.GroupBy(p => (string)p["spec"]!["nodeName"]!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var maxUnavailable = MaxUnavailable(ds, selected.Count);
        var unavailable = selected.Count(n => !byNode.TryGetValue(n, out var list) || !list.Any(p => Ready(p) && p["metadata"]!["deletionTimestamp"] is null));
        foreach (var node in selected)
        {
            var onNode = byNode.GetValueOrDefault(node) ?? [];
            if (onNode.Count == 0)
            {
                await CreatePodAsync(ds, ns, node, hash).ConfigureAwait(false);
            }
        }
        var rolling = (string?)ds["spec"]!["updateStrategy"]?["type"] is null or "RollingUpdate";
        if (rolling)
        {
            foreach (var node in selected)
            {
                var old = (byNode.GetValueOrDefault(node) ?? []).Where(p => (string?)p["metadata"]!["labels"]?["controller-revision-hash"] != hash && p["metadata"]!["deletionTimestamp"] is null).ToList();
                if (old.Count == 0)
                {
                    continue;
                }
                // An old pod that is not available anyway costs nothing to replace.
                var costs = old.Any(Ready);
                if (costs && unavailable >= maxUnavailable)
                {
                    break;
                }
                foreach (var pod in old)
                {
                    await _api.DeleteAsync($"/api/v1/namespaces/{ns}/pods/{pod["metadata"]!["name"]}").ConfigureAwait(false);
                }
                if (costs)
                {
                    unavailable++;
                }
            }
        }
        await UpdateStatusAsync(ds, ns, selected, byNode, hash).ConfigureAwait(false);
    }

    private async Task CreatePodAsync(JsonObject ds, string ns, string node, string hash)
    {
        var template = ds["spec"]!["template"]!.AsObject();
        var metadata = template["metadata"]?.DeepClone().AsObject() ?? [];
        var name = (string)ds["metadata"]!["name"]!;
        metadata["name"] = $"{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5]}";
        metadata["namespace"] = ns;
        var labels = metadata["labels"] as JsonObject ?? [];
        labels["controller-revision-hash"] = hash;
        labels["pod-template-generation"] = ((long?)ds["metadata"]!["generation"] ?? 1).ToString(CultureInfo.InvariantCulture);
        metadata["labels"] = labels;
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["name"] = name,
            ["uid"] = ds["metadata"]!["uid"]!.DeepClone(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        var spec = template["spec"]!.DeepClone().AsObject();
        spec["nodeName"] = node;
        await _api.CreateAsync($"/api/v1/namespaces/{ns}/pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }).ConfigureAwait(false);
    }

    private async Task UpdateStatusAsync(JsonObject ds, string ns, List<string> selected, Dictionary<string, List<JsonObject>> byNode, string hash)
    {
        var current = selected.Count(n => byNode.ContainsKey(n));
        var ready = selected.Count(n => byNode.TryGetValue(n, out var l) && l.Any(Ready));
        var updated = selected.Count(n => byNode.TryGetValue(n, out var l) && l.Any(p => (string?)p["metadata"]!["labels"]?["controller-revision-hash"] == hash));
        var status = new JsonObject
        {
            ["desiredNumberScheduled"] = selected.Count,
            ["currentNumberScheduled"] = current,
            ["numberMisscheduled"] = 0,
            ["numberReady"] = ready,
            ["numberAvailable"] = ready,
            ["numberUnavailable"] = selected.Count - ready,
            ["updatedNumberScheduled"] = updated,
            ["observedGeneration"] = ds["metadata"]!["generation"]?.DeepClone(),
        };
        if (ds["status"]?.ToJsonString() != status.ToJsonString())
        {
            await _api.MergePatchAsync($"/apis/apps/v1/namespaces/{ns}/daemonsets/{ds["metadata"]!["name"]}/status", new JsonObject { ["status"] = status }).ConfigureAwait(false);
        }
    }

    private static int MaxUnavailable(JsonObject ds, int nodes)
    {
        var value = ds["spec"]!["updateStrategy"]?["rollingUpdate"]?["maxUnavailable"];
        if (value is JsonValue v && v.TryGetValue<int>(out var n))
        {
            return Math.Max(n, 1);
        }
        if ((string?)value is { } percent && percent.EndsWith('%'))
        {
            return Math.Max(1, nodes * int.Parse(percent[..^1], CultureInfo.InvariantCulture) / 100);
        }
        return 1;
    }

    public static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true;

    private static bool Matches(JsonObject? selector, JsonObject node) =>
        selector is null || selector.All(p => (string?)node["metadata"]!["labels"]?[p.Key] == (string?)p.Value);

    private static string? OwnerUid(JsonObject pod) =>
        (string?)pod["metadata"]!["ownerReferences"]?.AsArray().FirstOrDefault(o => (string?)o!["kind"] == "DaemonSet")?["uid"];

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
    }
}
