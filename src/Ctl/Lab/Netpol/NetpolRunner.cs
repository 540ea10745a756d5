using System.Diagnostics;
using System.Globalization;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// `lab netpol`: the conformance cases on the running lab. Each step goes into the datastore the
/// way `routednetctl apply`, `delete` and `label` write it (the same staging and compare-and-swap
/// code), then the runner waits until every node enforces that revision, checks the case's tables
/// against the policy model, probes every probe line and prints expected against observed. After
/// each case its policies are deleted and every label is set back, so cases never see each other.
/// </summary>
internal sealed class NetpolRunner(Lab lab, LabState state, IStore store, TextWriter output)
{
    private IReadOnlyList<LabPod> _pods = [];

    /// <summary>Exit 0 when every probed cell of every case matched.</summary>
    public async Task<int> RunAsync(IReadOnlyList<NetpolCase> cases, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _pods = await NetpolLayout.EnsureAsync(lab, state, store, cancellationToken).ConfigureAwait(false);
        Convergence.Wait(state, TimeSpan.FromSeconds(60));
        output.WriteLine($"layout   {string.Join(", ", state.Nodes.Take(3).Select(n => $"{n.Name}: {string.Join(' ', _pods.Where(p => p.Node == n.Name).Select(p => p.Identity))}"))} (routes converged)");
        // A previous run that was interrupted may have left policies or labels: start from the layout.
        await ResetAsync([], cancellationToken).ConfigureAwait(false);
        var results = new List<(NetpolCase Case, int Wrong, int Cells, int ModelDisagrees)>();
        foreach (var c in cases)
        {
            var caseClock = Stopwatch.StartNew();
            output.WriteLine();
            output.WriteLine($"=== {c.Name} [{string.Join(", ", c.Tags)}]{(c.Upstream is null ? "" : $"  <- upstream: {c.Upstream}")}");
            var (wrong, cells, model) = await RunCaseAsync(c, cancellationToken).ConfigureAwait(false);
            results.Add((c, wrong, cells, model));
            output.WriteLine($"--- {c.ShortName} {(wrong == 0 ? "PASS" : "FAIL")}: {wrong} wrong of {cells} cells{(model > 0 ? $"; the model disagrees with the case file in {model} cells" : "")} ({caseClock.Elapsed.TotalSeconds:0.0} s)");
        }
        PrintSummary(results, clock.Elapsed);
        return results.All(r => r.Wrong == 0) ? 0 : 1;
    }

    private async Task<(int Wrong, int Cells, int ModelDisagrees)> RunCaseAsync(NetpolCase c, CancellationToken cancellationToken)
    {
        var applied = new List<(IKindOps Kind, string Key)>();
        var (wrong, cells, model) = (0, 0, 0);
        var enforcing = true;
        try
        {
            foreach (var (step, index) in c.Steps.Select((s, i) => (s, i + 1)))
            {
                var revision = await ApplyStepAsync(c, step, index, applied, cancellationToken).ConfigureAwait(false);
                enforcing = false;
                var waited = await PolicyEnforcement.WaitUntilEveryNodeEnforcesAsync(state, revision, cancellationToken).ConfigureAwait(false);
                enforcing = true;
                output.WriteLine($"step {index}: {step.Description} (revision {revision}, enforced on every node after {waited.TotalMilliseconds:0} ms)");
                var snapshot = await NetpolModelCheck.SnapshotAsync(store, cancellationToken).ConfigureAwait(false);
                foreach (var probe in step.Probes)
                {
                    var expected = probe.Expect;
                    var modelCells = NetpolModelCheck.Matrix(snapshot, _pods, probe);
                    var disagree = NetpolMatrix.Wrong(expected, modelCells.Replace('?', '-'));
                    var observed = await NetpolMatrix.ProbeAsync(lab.Directory, _pods, probe, cancellationToken).ConfigureAwait(false);
                    var wrongHere = NetpolMatrix.Wrong(expected, observed);
                    (wrong, cells, model) = (wrong + wrongHere, cells + expected.Count(ch => ch != '-'), model + disagree);
                    output.WriteLine($"  {probe}: {(wrongHere == 0 ? "ok" : $"{wrongHere} wrong")}{(disagree > 0 ? $", the model disagrees with the expectation in {disagree} cells" : "")}");
                    output.Write(NetpolMatrix.Render(
                        [.. _pods.Select(p => p.Identity)], expected, observed, disagree > 0 ? "model" : null, disagree > 0 ? modelCells : null));
                }
            }
        }
        finally
        {
            // After an agent that never confirmed a change, the error says so: the reset is written but not waited for.
            await ResetAsync(applied, cancellationToken, wait: enforcing).ConfigureAwait(false);
        }
        return (wrong, cells, model);
    }

    /// <summary>Writes one step; the highest datastore revision it made.</summary>
    private async Task<long> ApplyStepAsync(NetpolCase c, NetpolStep step, int index, List<(IKindOps Kind, string Key)> applied, CancellationToken cancellationToken)
    {
        var source = $"case {c.ShortName} step {index}";
        var revision = 0L;
        if (step.Apply.Count > 0)
        {
            var documents = DocumentReader.Read(Substitute(string.Join("\n---\n", step.Apply)), source);
            var transaction = new StoreTransaction();
            foreach (var (kind, resource) in documents)
            {
                await kind.StageApplyAsync(store, transaction, resource, cancellationToken).ConfigureAwait(false);
                applied.Add((kind, Key(resource)));
            }
            revision = Math.Max(revision, Revision((await store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false)).ResourceVersion));
        }
        if (step.Delete.Count > 0)
        {
            var transaction = new StoreTransaction();
            foreach (var (kind, resource) in DocumentReader.Read(Substitute(string.Join("\n---\n", step.Delete)), source))
            {
                kind.StageDelete(transaction, Key(resource), force: false);
            }
            revision = Math.Max(revision, Revision((await store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false)).ResourceVersion));
        }
        foreach (var (pod, labels) in step.LabelPods)
        {
            var (ns, name) = Labeling.SplitPod(pod);
            revision = Math.Max(revision, await Labeling.LabelPodEndpointsAsync(store, ns, name, Changes(labels), overwrite: true, cancellationToken).ConfigureAwait(false));
        }
        foreach (var (ns, labels) in step.LabelNamespaces)
        {
            revision = Math.Max(revision, await Labeling.LabelAsync(store, Labeling.Namespaces, ns, Changes(labels), overwrite: true, cancellationToken).ConfigureAwait(false));
        }
        return revision;
    }

    /// <summary>Deletes what the case applied (what is still there) and sets every pod's and namespace's labels back to the layout's; waits until that is enforced.</summary>
    private async Task ResetAsync(IReadOnlyList<(IKindOps Kind, string Key)> applied, CancellationToken cancellationToken, bool wait = true)
    {
        var revision = 0L;
        foreach (var (kind, key) in applied.Distinct())
        {
            try
            {
                var transaction = new StoreTransaction();
                kind.StageDelete(transaction, key, force: false);
                revision = Math.Max(revision, Revision((await store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false)).ResourceVersion));
            }
            catch (ResourceNotFoundException)
            {
                // The case deleted it itself.
            }
        }
        foreach (var pod in _pods)
        {
            foreach (var endpoint in (await store.ListAsync<WorkloadEndpoint>(cancellationToken).ConfigureAwait(false)).Items.Where(e => e.Spec.Namespace == pod.PodNamespace && e.Spec.Pod == pod.PodName))
            {
                if (Reset(endpoint.Metadata.Labels, NetpolLayout.BasePodLabels(pod.PodName!), keep: []) is { Count: > 0 } changes)
                {
                    revision = Math.Max(revision, await Labeling.LabelAsync(store, Kinds.Find("workloadendpoint"), endpoint.Name, changes, overwrite: true, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        foreach (var ns in NetpolLayout.Namespaces)
        {
            var current = await store.TryGetAsync<Namespace>(ns, cancellationToken).ConfigureAwait(false);
            if (Reset(current?.Metadata.Labels, NetpolLayout.BaseNamespaceLabels(ns), keep: [Namespace.NameLabel]) is { Count: > 0 } changes)
            {
                revision = Math.Max(revision, await Labeling.LabelAsync(store, Labeling.Namespaces, ns, changes, overwrite: true, cancellationToken).ConfigureAwait(false));
            }
        }
        if (revision > 0 && wait)
        {
            await PolicyEnforcement.WaitUntilEveryNodeEnforcesAsync(state, revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The changes that turn <paramref name="current"/> into <paramref name="wanted"/> (labels in <paramref name="keep"/> are left alone).</summary>
    private static List<LabelChange> Reset(IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, string> wanted, string[] keep)
    {
        current ??= new Dictionary<string, string>();
        var changes = current.Keys.Where(k => !wanted.ContainsKey(k) && !keep.Contains(k)).Select(k => new LabelChange(k, null)).ToList();
        changes.AddRange(wanted.Where(w => !current.TryGetValue(w.Key, out var value) || value != w.Value).Select(w => new LabelChange(w.Key, w.Value)));
        return changes;
    }

    private static List<LabelChange> Changes(IReadOnlyDictionary<string, string?> labels) =>
        [.. labels.Select(l => l.Value is null ? new LabelChange(l.Key, null) : LabelChange.Parse($"{l.Key}={l.Value}"))];

    private string Substitute(string text) =>
        _pods.Aggregate(text, (t, pod) => t.Replace("${ip:" + pod.Identity + "}", pod.Addresses[0], StringComparison.Ordinal));

    private static string Key(Resource resource) =>
        resource.Metadata.Namespace is { Length: > 0 } ns ? StoreKeys.Namespaced(ns, resource.Name) : resource.Name;

    private static long Revision(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private void PrintSummary(List<(NetpolCase Case, int Wrong, int Cells, int ModelDisagrees)> results, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine("Summary per case:");
        output.Write(Output.Table.Render(
            ["CASE", "RESULT", "WRONG", "CELLS", "MODEL", "TAGS"],
            [.. results.Select(r => (IReadOnlyList<string>)
                [r.Case.ShortName, r.Wrong == 0 ? "pass" : "FAIL", r.Wrong.ToString(CultureInfo.InvariantCulture), r.Cells.ToString(CultureInfo.InvariantCulture),
                 r.ModelDisagrees == 0 ? "agrees" : $"{r.ModelDisagrees} cells differ", string.Join(",", r.Case.Tags)])]));
        output.WriteLine();
        output.WriteLine("Summary per tag:");
        output.Write(Output.Table.Render(
            ["TAG", "PASSED", "CASES"],
            [.. results.SelectMany(r => r.Case.Tags.Select(t => (Tag: t, r.Wrong))).GroupBy(t => t.Tag, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (IReadOnlyList<string>)[g.Key, g.Count(t => t.Wrong == 0).ToString(CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture)])]));
        var failed = results.Count(r => r.Wrong > 0);
        output.WriteLine();
        output.WriteLine($"{results.Count - failed}/{results.Count} cases passed, {results.Sum(r => r.Wrong)} wrong cells of {results.Sum(r => r.Cells)} ({elapsed.TotalSeconds:0} s)");
    }
}
