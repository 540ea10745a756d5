using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Ctl.Resources;

/// <summary>
/// `label pod|namespace` with the kubernetes datastore: the core Pod or Namespace itself (what the
/// agents watch), changed by a JSON merge patch that carries the resourceVersion it was computed
/// from, so a writer in between (kubelet, a controller) is a conflict and the change is made again
/// on what it wrote, never over it.
/// </summary>
internal static class KubeLabels
{
    private const int Attempts = 5;

    /// <summary>The object's resourceVersion after the change.</summary>
    public static async Task<string> ChangeAsync(
        KubeApi api, KubeResource resource, string? ns, string name, IReadOnlyList<LabelChange> changes, bool overwrite, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await api.GetAsync(resource, name, cancellationToken, ns).ConfigureAwait(false)
                ?? throw new CtlException(CtlExitCode.Problem, $"{what} not found");
            var metadata = current.GetProperty("metadata");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (metadata.TryGetProperty("labels", out var existing) && existing.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in existing.EnumerateObject())
                {
                    labels[label.Name] = label.Value.GetString() ?? "";
                }
            }
            var after = LabelChange.Apply(labels, changes, overwrite, what);
            var patch = Patch(metadata.GetProperty("resourceVersion").GetString()!, labels, after);
            try
            {
                var written = await api.MergePatchAsync(resource, name, patch, null, what, cancellationToken, ns).ConfigureAwait(false);
                return written.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? "";
            }
            catch (RevisionConflictException) when (attempt < Attempts)
            {
                // Written between our read and our patch: read it again.
            }
        }
    }

    /// <summary>{"metadata":{"resourceVersion":RV,"labels":{set: value, removed: null}}} (RFC 7386: null deletes).</summary>
    private static byte[] Patch(string resourceVersion, Dictionary<string, string> before, Dictionary<string, string> after)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            writer.WriteStartObject("labels");
            foreach (var (key, value) in after.Where(l => !before.TryGetValue(l.Key, out var old) || old != l.Value))
            {
                writer.WriteString(key, value);
            }
            foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)))
            {
                writer.WriteNull(key);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
