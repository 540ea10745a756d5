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

    public override void Dispose()
    {
        _handle?.Dispose();
        _revoker.Dispose();
        base.Dispose();
    }

    protected override void Handle(PolicyEvent item)
    {
        if (item is PolicyEvent.InputsChanged changed)
        {
            if (_inputs is null || _plan is not null)
            {
                // The oldest change not yet committed is what the latency counts from.
                _inputsReceived = changed.Received;
            }
            _inputs = changed.Inputs;
            _plan = null;
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
            RevokeIfNarrowed(previous);
        }
        _programmed = _plan.Dataplane;
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
        });
        return default;
    }

    // After the commit: what the old table allowed and the new one may not (flows of endpoints that
    // went away included) loses its conntrack entry. A failure here is logged, never a failed apply:
    // the policy is in force for every new flow already.
    private void RevokeIfNarrowed(PolicyDataplane previous)
    {
        var removed = new HashSet<System.Net.IPAddress>(_lastEndpoints.Values.SelectMany(e => e.Addresses));
        removed.ExceptWith(_plan!.Endpoints.Values.SelectMany(e => e.Addresses));
        _lastEndpoints = _plan.Endpoints;
        // A table that did not exist enforced nothing (a node whose agent never enforced policy, or
        // the table removed behind the agent's back): flows established meanwhile are judged too.
        if (!_revokeEstablished || (previous.Exists && removed.Count == 0 && !PolicyDataplaneDiff.CanNarrow(_plan.Dataplane, previous)))
        {
            return;
        }
        try
        {
            var revoked = _revoker.Revoke(_plan, _inputs!.Snapshot, removed);
            if (revoked > 0)
            {
                _status.CountRevoked(revoked);
                LogRevoked(Logger, revoked, _plan.Revision);
            }
        }
        catch (NetlinkException e)
        {
            LogRevokeFailed(Logger, e.Message);
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

    [LoggerMessage(EventId = EventIds.ConntrackRevoked, Level = LogLevel.Information, Message = "Policy narrowed at revision {Revision}: {Entries} established flow(s) it no longer allows were cut (conntrack entries deleted)")]
    private static partial void LogRevoked(ILogger logger, int entries, long revision);

    [LoggerMessage(EventId = EventIds.ConntrackRevokeFailed, Level = LogLevel.Warning, Message = "Policy: cutting established flows failed: {Error}; new flows are judged by the new policy already")]
    private static partial void LogRevokeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.PolicyProblem, Level = LogLevel.Warning, Message = "Policy: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
