using System.Net;
using Microsoft.Extensions.Logging;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// The single writer of our routes in the main table: pod routes, blackholes for our blocks and
/// BGP-learned routes all go through this loop, so two writers can never fight over a prefix.
/// The logic is in <see cref="MainRouteTable"/>; this class is its loop and mailbox.
/// </summary>
public sealed class RouteReconciler : ReconcileLoop<RouteEvent>
{
    private readonly MainRouteTable _table;

    public RouteReconciler(IKernelRoutes kernel, AgentOptions options, TimeProvider time, HealthRegistry health, ReconcileMetrics metrics, ILogger<RouteReconciler> logger)
        : base(HealthRegistry.Routes, time, options.ResyncInterval, health, metrics, logger) =>
        _table = new MainRouteTable(kernel, time, options.RouteGracePeriod);

    private readonly TaskCompletionSource<RouteCounts> _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RouteCounts Counts { get; private set; } = RouteCounts.None;

    /// <summary>
    /// Completes with what the kernel held at the first full read-back: BGP routes of ours then
    /// mean the agent restarted with forwarding state intact (graceful restart).
    /// </summary>
    public Task<RouteCounts> FirstResync => _firstPass.Task;

    protected override bool InputsInSync => _table.IsInSync(RouteKind.Workload) && _table.IsInSync(RouteKind.Blackhole);

    /// <summary>Sets (a null target removes) one reason's routes for these prefixes.</summary>
    public void SetRoutes(RouteKind kind, IReadOnlyList<(BgpPrefix Prefix, RouteTarget? Target)> routes) => Post(new RouteEvent.RoutesSet(kind, routes));

    public void ReplaceRoutes(RouteKind kind, IReadOnlyDictionary<IPNetwork, RouteTarget> routes) => Post(new RouteEvent.SourceReplaced(kind, routes));

    public void MarkInSync(RouteKind kind) => Post(new RouteEvent.SourceInSync(kind));

    /// <summary>See <see cref="MainRouteTable.RestartSource"/>.</summary>
    public void RestartSource(RouteKind kind) => Post(new RouteEvent.SourceRestarted(kind));

    /// <summary>Desired vs programmed routes; with <paramref name="fresh"/> the kernel is read back first.</summary>
    public Task<RouteReport> ReportAsync(bool fresh, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<RouteReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new RouteEvent.ReportRequested(fresh, reply));
        return reply.Task.WaitAsync(cancellationToken);
    }

    protected override void Handle(RouteEvent item)
    {
        switch (item)
        {
            case RouteEvent.RoutesSet set:
                foreach (var (prefix, target) in set.Routes)
                {
                    _table.SetRoute(set.Kind, prefix, target);
                }
                break;
            case RouteEvent.SourceReplaced replaced:
                _table.ReplaceRoutes(replaced.Kind, replaced.Routes);
                break;
            case RouteEvent.SourceInSync synced:
                _table.MarkInSync(synced.Kind);
                break;
            case RouteEvent.SourceRestarted restarted:
                _table.RestartSource(restarted.Kind);
                break;
            case RouteEvent.ReportRequested request:
                Answer(request);
                break;
        }
    }

    protected override void Resync() => _table.Resync();

    protected override ApplyOutcome Apply() => _table.Apply();

    protected override void Published()
    {
        Counts = new RouteCounts(
            _table.CountProgrammed(RouteKind.Workload), _table.CountProgrammed(RouteKind.Blackhole), _table.CountProgrammed(RouteKind.Bgp), _table.CountConflicts());
        if (_table.LastResync is not null)
        {
            _firstPass.TrySetResult(Counts);
        }
    }

    private void Answer(RouteEvent.ReportRequested request)
    {
        try
        {
            if (request.Fresh)
            {
                _table.Resync();
            }
            request.Reply.TrySetResult(_table.Report());
        }
#pragma warning disable CA1031 // the error belongs to the caller; the loop carries on
        catch (Exception e)
#pragma warning restore CA1031
        {
            request.Reply.TrySetException(e);
        }
    }
}
