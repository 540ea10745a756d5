namespace RoutedNet.Netlink.Nftables.Tracing;

/// <summary>
/// What `routednetctl policy trace` runs on each node: for its duration, marks one flow with nftrace (the
/// <see cref="TraceTable"/>), listens to the namespace's trace events and reports each step with
/// the comment of the rule that matched (our rules carry their policy rule id there), then removes
/// the table. One trace at a time per node: a second waits for the first.
/// </summary>
public sealed class FlowTracer(Func<NftablesHandle> openTables, Func<NftTraceMonitor> openMonitor, Func<string, string?> describeRule)
{
    private const int PollMilliseconds = 100;

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Traces <paramref name="filter"/> for <paramref name="duration"/>, handing each step to <paramref name="step"/> as it comes.</summary>
    public async Task RunAsync(TraceFilter filter, TimeSpan duration, Func<TraceStep, Task> step, CancellationToken cancellationToken)
    {
        if (filter.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(filter));
        }
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tables = openTables();
            using var monitor = openMonitor();
            // A trace table a crashed agent left behind is replaced, not added to.
            if (tables.ListTables().Any(t => t.Name == TraceTable.Name))
            {
                tables.Commit(TraceTable.Delete());
            }
            tables.Commit(TraceTable.Add(filter));
            try
            {
                await Task.Run(() => ReadAsync(tables, monitor, duration, step, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                tables.Commit(TraceTable.Delete());
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task ReadAsync(NftablesHandle tables, NftTraceMonitor monitor, TimeSpan duration, Func<TraceStep, Task> step, CancellationToken cancellationToken)
    {
        var comments = new Dictionary<(string Table, string Chain, ulong Handle), string?>();
        var events = new List<NftTraceEvent>();
        var deadline = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            events.Clear();
            monitor.TryRead(PollMilliseconds, events);
            foreach (var e in events.Where(e => e.Table != TraceTable.Name))
            {
                string? comment = null;
                if (e is { Type: NftTraceType.Rule, RuleHandle: { } handle } && !comments.TryGetValue((e.Table, e.Chain, handle), out comment))
                {
                    // Rules change under a trace (policy updates): read the table again when a handle is new.
                    foreach (var rule in tables.ListRules(e.Table))
                    {
                        comments[(rule.Table, rule.Chain, rule.Handle)] = rule.Comment;
                    }
                    comment = comments.GetValueOrDefault((e.Table, e.Chain, handle));
                }
                await step(new TraceStep
                {
                    PacketId = e.Id,
                    Table = e.Table,
                    Chain = e.Chain,
                    Rule = comment,
                    Verdict = e.Type switch
                    {
                        NftTraceType.Rule => e.Verdict?.ToString() ?? "continue",
                        NftTraceType.Return => "return",
                        _ => e.PolicyAccepted == true ? "policy accept" : "policy drop",
                    },
                    Packet = e.Packet,
                    Policy = comment is null ? null : describeRule(comment),
                }).ConfigureAwait(false);
            }
        }
    }
}
