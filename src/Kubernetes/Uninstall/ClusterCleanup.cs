using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Store;

namespace RoutedNet.Kubernetes.Uninstall;

/// <summary>
/// What `helm uninstall` must leave of RoutedNet in the API (issue 15), done cluster-wide by the
/// chart's post-delete hook once the agents and their credentials are gone: every object of every
/// routednet.io kind (the IPAM records the agents wrote, and the pools, IPAM and BGP settings
/// whether the chart or an operator made them), and every routednet.io/ annotation on the core
/// Nodes with the labels RoutedNet set there. The CRDs themselves stay (helm keeps crds/), the
/// Nodes stay (they are kubelet's), others' annotations and labels stay.
/// Each kind is listed and its objects deleted until a list comes back empty, so an object a
/// straggling writer made meanwhile is caught; NotFound counts as done, so two runs at once and
/// a second run are harmless. A kind whose CRD is not installed has nothing to delete.
/// </summary>
public static class ClusterCleanup
{
    /// <summary>Every annotation key of RoutedNet's starts with this (docs/DESIGN.md, Contracts).</summary>
    public const string AnnotationPrefix = Resource.Group + "/";

    /// <summary>Lists per kind before giving up on objects that keep coming back.</summary>
    public const int MaxRounds = 10;

    // Writes that depend on each other go first (handles count addresses in blocks; affinities
    // point at blocks), settings last; with no agent left the order only matters to a reader.
    private static readonly string[] Order =
        [IPAMHandle.KindName, BlockAffinity.KindName, IPAMBlock.KindName, IPAMConfig.KindName, BGPPeer.KindName, BGPFilter.KindName, BGPConfiguration.KindName, IPPool.KindName];

    /// <summary>The kinds in the order they are removed, with their resources.</summary>
    public static IEnumerable<KubeResource> Kinds => Order.Select(k => CrdKinds.ByKind[k]);

    /// <summary>Removes everything; each step runs even when an earlier one failed, and the result says what failed.</summary>
    public static async Task<ClusterCleanupResult> RunAsync(KubeApi api, TimeSpan roundPause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var deleted = new List<(string Kind, int Count)>();
        var failures = new List<string>();
        foreach (var kind in Kinds)
        {
            try
            {
                deleted.Add((kind.Kind, await DeleteAllAsync(api, kind, roundPause, cancellationToken).ConfigureAwait(false)));
            }
            catch (DatastoreException e)
            {
                failures.Add($"deleting every {kind.Kind} ({kind.Plural}.{kind.Group}): {e.Message}");
            }
        }
        var nodes = 0;
        try
        {
            nodes = await UnannotateNodesAsync(api, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException e)
        {
            failures.Add($"removing the {AnnotationPrefix} annotations from the Nodes: {e.Message}");
        }
        return new ClusterCleanupResult(deleted, nodes, failures);
    }

    private static async Task<int> DeleteAllAsync(KubeApi api, KubeResource kind, TimeSpan roundPause, CancellationToken cancellationToken)
    {
        var count = 0;
        for (var round = 1; ; round++)
        {
            KubeList list;
            try
            {
                list = await api.ListAsync(kind, KubeQuery.All, cancellationToken).ConfigureAwait(false);
            }
            catch (DatastoreUnusableException e) when (e.Message.Contains(KubeStatus.NotServed, StringComparison.Ordinal))
            {
                // No CRD, no objects of it.
                return count;
            }
            if (list.Items.Count == 0)
            {
                return count;
            }
            if (round > MaxRounds)
            {
                var held = list.Items.FirstOrDefault(i => i.GetProperty("metadata").TryGetProperty("finalizers", out var f) && f.GetArrayLength() > 0);
                throw new DatastoreUnavailableException(held.ValueKind == JsonValueKind.Object
                    ? $"{list.Items.Count} still there after {MaxRounds} rounds, e.g. \"{Name(held)}\" held by finalizers {held.GetProperty("metadata").GetProperty("finalizers").GetRawText()}"
                    : $"{list.Items.Count} still there after {MaxRounds} rounds: something keeps creating them (is an agent still running?)");
            }
            foreach (var item in list.Items)
            {
                if (item.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
                {
                    // Already being deleted (a finalizer): the next list shows whether it went.
                    continue;
                }
                try
                {
                    await api.DeleteAsync(kind, Name(item), null, KubeApi.What(kind, Name(item)), cancellationToken).ConfigureAwait(false);
                    count++;
                }
                catch (ResourceNotFoundException)
                {
                    // deleted meanwhile: by another run, or by its agent
                }
            }
            if (round > 1)
            {
                await Task.Delay(roundPause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> UnannotateNodesAsync(KubeApi api, CancellationToken cancellationToken)
    {
        var cleaned = 0;
        var nodes = await api.ListAsync(KubeResource.Nodes, KubeQuery.All, cancellationToken).ConfigureAwait(false);
        foreach (var listed in nodes.Items)
        {
            JsonElement? node = listed;
            // The kubelet writes its Node all the time: a patch that lost the race reads again.
            for (var attempt = 1; node is { } current && RemovePatch(current) is { } patch; attempt++)
            {
                try
                {
                    await api.MergePatchAsync(KubeResource.Nodes, Name(current), patch, "status", KubeApi.What(KubeResource.Nodes, Name(current)), cancellationToken).ConfigureAwait(false);
                    cleaned++;
                    break;
                }
                catch (RevisionConflictException) when (attempt < MaxRounds)
                {
                    node = await api.GetAsync(KubeResource.Nodes, Name(current), cancellationToken).ConfigureAwait(false);
                }
                catch (ResourceNotFoundException)
                {
                    break;
                }
            }
        }
        return cleaned;
    }

    /// <summary>
    /// The merge patch taking every routednet.io/ annotation and the labels RoutedNet set (listed in
    /// routednet.io/labels) off <paramref name="node"/>, at its resourceVersion; null when it has none.
    /// </summary>
    public static byte[]? RemovePatch(JsonElement node)
    {
        var metadata = node.GetProperty("metadata");
        var annotations = new JsonObject();
        var labels = new JsonObject();
        if (metadata.TryGetProperty("annotations", out var existing) && existing.ValueKind == JsonValueKind.Object)
        {
            foreach (var annotation in existing.EnumerateObject().Where(a => a.Name.StartsWith(AnnotationPrefix, StringComparison.Ordinal)))
            {
                annotations[annotation.Name] = null;
                if (annotation.Name == NodeAnnotations.Labels && annotation.Value.GetString() is { } keys)
                {
                    foreach (var key in keys.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        labels[key] = null;
                    }
                }
            }
        }
        if (annotations.Count == 0)
        {
            return null;
        }
        var patch = new JsonObject
        {
            ["resourceVersion"] = KubeApi.ResourceVersionOf(node),
            ["annotations"] = annotations,
        };
        if (labels.Count > 0)
        {
            patch["labels"] = labels;
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["metadata"] = patch }.ToJsonString());
    }

    private static string Name(JsonElement item) => item.GetProperty("metadata").GetProperty("name").GetString()!;

    /// <summary>One line per kind and one for the Nodes, as the command prints them.</summary>
    public static IEnumerable<string> Describe(ClusterCleanupResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var (kind, count) in result.Deleted)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"deleted {count} {kind}");
        }
        yield return string.Create(CultureInfo.InvariantCulture, $"removed the {AnnotationPrefix} annotations from {result.NodesCleaned} Node{(result.NodesCleaned == 1 ? "" : "s")}");
    }
}
