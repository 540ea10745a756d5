using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Netlink;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The single writer of `table inet routednet` in the agent's own network namespace (in the lab,
/// the node's). Nothing is written before the datastore side is in sync: a table an earlier agent
/// left keeps enforcing meanwhile, and is then read back and adopted by a diff, never flushed, so a
/// restart opens no gap. After that every pass commits only the difference between the desired
/// table and the last committed one, in one nf_tables transaction; a periodic read-back (its own
/// interval, 90 s by default) repairs drift, and any failed commit is followed by one.
/// </summary>
public sealed partial class PolicyReconciler : ReconcileLoop<PolicyEvent>
{
    private readonly NftBatch _batch = new();
    private readonly EndpointAcks _acks;
    private readonly PolicyStatus _status;
    private readonly HashSet<string> _reportedProblems = new(StringComparer.Ordinal);
    private readonly ConntrackRevoker _revoker = new();
    private readonly PolicyCalculationCache _cache = new();
    private readonly bool _revokeEstablished;
    private NftablesHandle? _handle;
    private PolicyInputs? _inputs;
    private long _inputsReceived;
    private PolicyPlan? _plan;
    private PolicyDataplane? _programmed;
    private long _enforcedRevision;
    private IReadOnlyDictionary<string, LocalEndpoint> _lastEndpoints = new Dictionary<string, LocalEndpoint>();
    // Addresses of local endpoints that went away and whose conntrack entries are still to delete:
    // swept before a new local endpoint gets one of them, or RemovedSweepDelay after the first went
    // (each sweep walks the kernel's whole conntrack hash, ~7 ms: once per pod DEL that was the
    // agent's largest cost in bench/cni-latency.sh; flows of an address nobody holds harm no one).
    private static readonly TimeSpan RemovedSweepDelay = TimeSpan.FromSeconds(5);
    private readonly HashSet<System.Net.IPAddress> _removedAddresses = [];
    private DateTimeOffset? _removedSweepAt;
    // A conntrack pass is owed: a commit narrowed (or an earlier pass failed). Revoked entries may
    // exist from the start on: an earlier agent may have marked some.
    private bool _revokeDue;
    private bool _revokedMayExist = true;

    public PolicyReconciler(AgentOptions options, EndpointAcks acks, PolicyStatus status, TimeProvider time, HealthRegistry health, ReconcileMetrics metrics, ILogger<PolicyReconciler> logger)
        : base(HealthRegistry.Policy, time, (options ?? throw new ArgumentNullException(nameof(options))).PolicyResyncInterval, health, metrics, logger)
    {
        _acks = acks;
        _status = status;
        _revokeEstablished = options.PolicyRevokeEstablished;
    }

    protected override bool InputsInSync => _inputs is not null;

    /// <summary>Hands the loop new inputs (from the datastore loop, after each batch of changes).</summary>
    public void Publish(PolicyInputs inputs) => Post(new PolicyEvent.InputsChanged(inputs, Stopwatch.GetTimestamp()));

    /// <summary>
    /// The datastore reached <paramref name="revision"/> and the inputs last published still hold
    /// (a batch that changed nothing, e.g. the watch's echo of the agent's own write): once they
    /// are committed the node enforces that revision, with no new calculation.
    /// </summary>
    public void SeeRevision(long revision) => Post(new PolicyEvent.RevisionSeen(revision));

    public override void Dispose()
    {
        _handle?.Dispose();
        _revoker.Dispose();
        base.Dispose();
    }

    protected override void Handle(PolicyEvent item)
    {
        switch (item)
        {
            case PolicyEvent.InputsChanged changed:
                if (_inputs is null || _plan is not null)
                {
                    // The oldest change not yet committed is what the latency counts from.
                    _inputsReceived = changed.Received;
                }
                _inputs = changed.Inputs;
                _plan = null;
                break;
            case PolicyEvent.RevisionSeen seen when _inputs is not null && seen.Revision > _inputs.Revision:
                _inputs = _inputs with { Revision = seen.Revision };
                if (_plan is not null)
                {
                    _plan = _plan with { Revision = seen.Revision };
                }
                break;
        }
    }

    protected override void Resync()
    {
        if (_inputs is null)
        {
            return;
        }
        _programmed = Read();
    }

    protected override ApplyOutcome Apply()
    {
        if (_inputs is null)
        {
            return default;
        }
        if (_plan is null)
        {
            _plan = PolicyCalculator.Compute(_inputs, _cache);
            foreach (var problem in _plan.Problems.Where(_reportedProblems.Add))
            {
                LogProblem(Logger, problem);
            }
        }
        _programmed ??= Read();
        _batch.Clear();
        var previous = _programmed;
        if (PolicyDataplaneDiff.Plan(_plan.Dataplane, _programmed, _batch))
        {
            try
            {
                Handle().Commit(_batch);
            }
            catch (Exception e) when (e is NetlinkException or InvalidDataException)
            {
                _status.CountError();
                // What the kernel holds is unknown now: the next pass reads it back first.
                _programmed = null;
                throw;
            }
            _status.CountBatch();
            LogCommitted(Logger, _batch.Count, _plan.Revision);
            NoteRevokeDue(previous);
        }
        _programmed = _plan.Dataplane;
        _revokeDue |= _removedSweepAt <= Time.GetUtcNow();
        var revokeError = _revokeDue ? Revoke() : null;
        _enforcedRevision = Math.Max(_enforcedRevision, _plan.Revision);
        _acks.Programmed(_plan.Endpoints);
        var latency = _inputsReceived == 0 ? (TimeSpan?)null : Stopwatch.GetElapsedTime(_inputsReceived);
        if (latency is { } l)
        {
            _status.ProgrammingSeconds.Observe(l.TotalSeconds);
        }
        _inputsReceived = 0;
        _status.Publish(new PolicyStatus.Snapshot(
            _enforcedRevision,
            _plan.Endpoints.Keys.Order(StringComparer.Ordinal).ToList(),
            [],
            _plan.Policies,
            _plan.ActivePolicies,
            latency ?? _status.Current.LastProgramming,
            Time.GetUtcNow(),
            _programmed.ElementCount)
        {
            PolicyChains = _plan.PolicyChains,
            Batches = _status.Batches,
        });
        // A failed conntrack pass is retried (with the loop's backoff) until it succeeds; the
        // policy is in force for every new flow already.
        return new ApplyOutcome(revokeError, _removedSweepAt);
    }

    // After a commit: a pass over conntrack is owed when the change can refuse what the old table
    // allowed (flows of endpoints that went away included), or when revoked entries may exist that
    // the change allows again.
    private void NoteRevokeDue(PolicyDataplane previous)
    {
        var before = new HashSet<System.Net.IPAddress>(_lastEndpoints.Values.SelectMany(e => e.Addresses));
        var now = new HashSet<System.Net.IPAddress>(_plan!.Endpoints.Values.SelectMany(e => e.Addresses));
        _lastEndpoints = _plan.Endpoints;
        if (!_revokeEstablished)
        {
            return;
        }
        // An address back in use must not inherit a flow of its last holder: swept now.
        var reused = _removedAddresses.Overlaps(now);
        _removedAddresses.UnionWith(before.Except(now));
        if (_removedAddresses.Count > 0)
        {
            _removedSweepAt ??= Time.GetUtcNow() + RemovedSweepDelay;
        }
        // A table that did not exist enforced nothing (a node whose agent never enforced policy, or
        // the table removed behind the agent's back): flows established meanwhile are judged too.
        _revokeDue |= !previous.Exists || reused || _revokedMayExist || PolicyDataplaneDiff.CanNarrow(_plan.Dataplane, previous);
    }

    // Marks what the new table refuses and unmarks what it allows again; the error text when the
    // pass failed (it stays due).
    private string? Revoke()
    {
        try
        {
            var outcome = _revoker.Revoke(_plan!, _inputs!.Snapshot, _removedAddresses);
            _revokeDue = false;
            _removedAddresses.Clear();
            _removedSweepAt = null;
            _revokedMayExist = outcome.StillRevoked > 0;
            if (outcome.Revoked > 0)
            {
                _status.CountRevoked(outcome.Revoked);
                LogRevoked(Logger, outcome.Revoked, _plan!.Revision);
            }
            if (outcome.Restored > 0)
            {
                LogRestored(Logger, outcome.Restored, _plan!.Revision);
            }
            return null;
        }
        catch (NetlinkException e)
        {
            _status.CountError();
            LogRevokeFailed(Logger, e.Message);
            return "cutting established flows: " + e.Message;
        }
    }

    private PolicyDataplane Read()
    {
        try
        {
            return PolicyDataplaneReader.Read(Handle());
        }
        catch (NetlinkException)
        {
            _status.CountError();
            throw;
        }
    }

    // Opened on first use, on the loop: in the process's own network namespace (the node's).
    private NftablesHandle Handle() => _handle ??= NftablesHandle.Open();

    [LoggerMessage(EventId = EventIds.PolicyCommitted, Level = LogLevel.Debug, Message = "nftables: committed {Messages} message(s) for revision {Revision}")]
    private static partial void LogCommitted(ILogger logger, int messages, long revision);

    [LoggerMessage(EventId = EventIds.ConntrackRevoked, Level = LogLevel.Information, Message = "Policy narrowed at revision {Revision}: {Entries} established flow(s) it no longer allows were cut (conntrack entries marked revoked)")]
    private static partial void LogRevoked(ILogger logger, int entries, long revision);

    [LoggerMessage(EventId = EventIds.ConntrackRestored, Level = LogLevel.Information, Message = "Policy at revision {Revision} allows {Entries} revoked flow(s) again (conntrack marks cleared)")]
    private static partial void LogRestored(ILogger logger, int entries, long revision);

    [LoggerMessage(EventId = EventIds.ConntrackRevokeFailed, Level = LogLevel.Warning, Message = "Policy: cutting established flows failed: {Error}; retried; new flows are judged by the new policy already")]
    private static partial void LogRevokeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.PolicyProblem, Level = LogLevel.Warning, Message = "Policy: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
