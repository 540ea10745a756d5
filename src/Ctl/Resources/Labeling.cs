using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary>
/// What `routednetctl label` does, for the command and for `lab netpol` (the same code path): set
/// and remove labels with compare-and-swap on each object's revision, re-reading on a conflict so
/// that a concurrent writer (the agent keeping its Node, the plugin) loses nothing. Each call
/// returns the datastore revision its last write made, which the lab waits for the agents to enforce.
/// </summary>
internal static class Labeling
{
    private const int Attempts = 5;

    /// <summary>The routednet.io Namespace (sqlite/etcd), whose labels namespaceSelectors match.</summary>
    public static IKindOps Namespaces { get; } = new KindOps<Namespace>();

    public static async Task<long> LabelAsync(IStore store, IKindOps kind, string name, IReadOnlyList<LabelChange> changes, bool overwrite, CancellationToken cancellationToken)
    {
        var what = $"{kind.Kind} \"{name}\"";
        for (var attempt = 1; ; attempt++)
        {
            var current = await kind.GetAsync(store, name, cancellationToken).ConfigureAwait(false)
                ?? throw new CtlException(CtlExitCode.Problem, $"{what} not found");
            var labels = LabelChange.Apply(current.Metadata.Labels, changes, overwrite, what);
            try
            {
                var written = await kind.UpdateAsync(store, current with { Metadata = current.Metadata with { Labels = labels.Count == 0 ? null : labels } }, cancellationToken).ConfigureAwait(false);
                return Revision(written);
            }
            catch (RevisionConflictException) when (attempt < Attempts)
            {
                // Someone wrote the object between our read and write: read it again.
            }
        }
    }

    /// <summary>
    /// A pod on sqlite/etcd is its WorkloadEndpoints (one per attachment: spec.namespace and spec.pod
    /// name it); each gets the change, each by compare-and-swap.
    /// </summary>
    public static async Task<long> LabelPodEndpointsAsync(IStore store, string ns, string pod, IReadOnlyList<LabelChange> changes, bool overwrite, CancellationToken cancellationToken)
    {
        var kind = Kinds.Find("workloadendpoint");
        var endpoints = (await store.ListAsync<WorkloadEndpoint>(cancellationToken).ConfigureAwait(false)).Items
            .Where(e => e.Spec.Namespace == ns && e.Spec.Pod == pod)
            .ToList();
        if (endpoints.Count == 0)
        {
            throw new CtlException(CtlExitCode.Problem, $"pod {ns}/{pod} not found (no WorkloadEndpoint has namespace {ns} and pod {pod})");
        }
        var revision = 0L;
        foreach (var endpoint in endpoints)
        {
            revision = Math.Max(revision, await LabelAsync(store, kind, endpoint.Name, changes, overwrite, cancellationToken).ConfigureAwait(false));
        }
        return revision;
    }

    /// <summary>"NAMESPACE/NAME" of a pod, as kubectl's -n NS NAME would be.</summary>
    public static (string Namespace, string Name) SplitPod(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new CtlException($"pod \"{text}\" must be NAMESPACE/NAME");
        }
        return (text[..slash], text[(slash + 1)..]);
    }

    private static long Revision(Resource written) =>
        long.TryParse(written.Metadata.ResourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision) ? revision : 0;
}
