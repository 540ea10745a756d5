using System.Net;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// The agent's side of the kernel's main routing table: what routes of ours should exist (from
/// three reasons — local pods, our blocks, BGP) and what the kernel holds.
///
/// Why it looks like this:
/// <list type="bullet">
/// <item>Ownership is by protocol number (<see cref="RouteOwnership"/>). Routes of other owners are
///   never written: a desired prefix that another owner already routes is a conflict, reported
///   and left alone, because `replace` would silently take it over.</item>
/// <item>Desired and programmed state live in one <see cref="DeltaTracker{TKey,TValue}"/>, so
///   an apply sends only the difference (one netlink batch); a resync reads the kernel back and
///   lets the tracker find drift (a route deleted by hand, one of ours left from before a restart).</item>
/// <item>Adding is always safe; removing is not. A route of ours without a reason is removed only
///   when the source of its kind has said it is complete (datastore synced, BGP re-learned after a
///   restart), and a pod route only once its interface has been known for the grace period: the
///   CNI plugin adds the route before it writes the WorkloadEndpoint, so a new veth's route is
///   briefly "unexplained" (Calico's route table gives new interfaces the same grace).</item>
/// <item>A pod route whose veth does not exist is not attempted (the kernel would say ENODEV on
///   every retry); it is reported missing and tried again when the interface shows up.</item>
/// </list>
/// Not thread-safe: it is owned by <see cref="RouteReconciler"/>'s loop.
/// </summary>
public sealed class MainRouteTable
{
    /// <summary>How soon to look again for a pod's interface that does not exist yet.</summary>
    public static readonly TimeSpan MissingDeviceRetry = TimeSpan.FromSeconds(2);

    private readonly IKernelRoutes _kernel;
    private readonly TimeProvider _time;
    private readonly TimeSpan _gracePeriod;
    private readonly Dictionary<IPNetwork, RouteTarget>[] _wanted = [[], [], []];
    private readonly bool[] _sourceInSync = new bool[3];
    private readonly DeltaTracker<IPNetwork, RouteTarget> _routes = new();
    private readonly Dictionary<IPNetwork, List<KernelRoute>> _foreign = [];
    private readonly Dictionary<string, DateTimeOffset> _linkFirstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<IPNetwork, string> _lastErrors = [];
    private readonly int[] _programmed = new int[3];

    public MainRouteTable(IKernelRoutes kernel, TimeProvider time, TimeSpan gracePeriod)
    {
        _kernel = kernel;
        _time = time;
        _gracePeriod = gracePeriod;
    }

    public DateTimeOffset? LastResync { get; private set; }

    /// <summary>True once a full read-back has happened and nothing is pending.</summary>
    public bool InSync => LastResync is not null && _routes.InSync;

    /// <summary>Sets (or with a null target removes) one reason's route for a prefix.</summary>
    public void SetRoute(RouteKind kind, IPNetwork prefix, RouteTarget? target)
    {
        if (target is null)
        {
            _wanted[(int)kind].Remove(prefix);
        }
        else
        {
            _wanted[(int)kind][prefix] = target;
        }
        Recompute(prefix);
    }

    /// <summary>Replaces everything one reason wants (a source's full resync or relist).</summary>
    public void ReplaceRoutes(RouteKind kind, IReadOnlyDictionary<IPNetwork, RouteTarget> routes)
    {
        var previous = _wanted[(int)kind];
        _wanted[(int)kind] = new Dictionary<IPNetwork, RouteTarget>(routes);
        foreach (var prefix in previous.Keys.Concat(routes.Keys))
        {
            Recompute(prefix);
        }
    }

    /// <summary>The source of <paramref name="kind"/> now knows all it wants: unexplained routes of that kind may go.</summary>
    public void MarkInSync(RouteKind kind) => _sourceInSync[(int)kind] = true;

    public bool IsInSync(RouteKind kind) => _sourceInSync[(int)kind];

    /// <summary>Routes of ours in the kernel by kind: counted as they are written, not by walking a million-route table after every pass.</summary>
    public int CountProgrammed(RouteKind kind) => _programmed[(int)kind];

    public int CountConflicts() => _foreign.Keys.Count(_routes.Desired.ContainsKey);

    /// <summary>Reads every main-table route back from the kernel and the interfaces with them.</summary>
    public void Resync()
    {
        var ours = new Dictionary<IPNetwork, RouteTarget>();
        _foreign.Clear();
        foreach (var route in _kernel.ListRoutes())
        {
            if (route.IsOurs)
            {
                // Two routes of ours for one prefix (different metrics) cannot come from us; keep one.
                ours.TryAdd(route.Destination, route.Target);
            }
            else
            {
                if (!_foreign.TryGetValue(route.Destination, out var list))
                {
                    _foreign[route.Destination] = list = [];
                }
                list.Add(route);
            }
        }
        _routes.ReplaceDataplane(ours);
        Array.Clear(_programmed);
        foreach (var target in ours.Values)
        {
            _programmed[(int)RouteOwnership.Classify(target)]++;
        }
        RefreshLinks();
        LastResync = _time.GetUtcNow();
    }

    /// <summary>Sends the pending difference to the kernel in one batch.</summary>
    public ApplyOutcome Apply()
    {
        var now = _time.GetUtcNow();
        var wakeAt = (DateTimeOffset?)null;
        var changes = new List<RouteChange>();
        var updates = _routes.PendingUpdates.ToList();
        var deletions = _routes.PendingDeletions.ToList();
        if (updates.Exists(p => _routes.Desired[p].Device is not null)
            || deletions.Exists(p => _routes.Dataplane[p].Device is { } d && !_linkFirstSeen.ContainsKey(d)))
        {
            RefreshLinks();
        }
        foreach (var prefix in updates)
        {
            var target = _routes.Desired[prefix];
            if (_foreign.ContainsKey(prefix))
            {
                continue;
            }
            if (target.Device is { } device && !_linkFirstSeen.ContainsKey(device))
            {
                _lastErrors[prefix] = $"interface {device} does not exist";
                wakeAt = Earliest(wakeAt, now + MissingDeviceRetry);
                continue;
            }
            changes.Add(RouteChange.Replace(new KernelRoute(prefix, target, RouteOwnership.Protocol)));
        }
        foreach (var prefix in deletions)
        {
            var actual = _routes.Dataplane[prefix];
            if (DeletionDueAt(actual) is { } due && due > now)
            {
                wakeAt = Earliest(wakeAt, due);
                continue;
            }
            if (!_sourceInSync[(int)RouteOwnership.Classify(actual)])
            {
                continue;
            }
            changes.Add(RouteChange.Remove(new KernelRoute(prefix, actual, RouteOwnership.Protocol)));
        }
        if (changes.Count == 0)
        {
            return new ApplyOutcome(null, wakeAt);
        }
        return new ApplyOutcome(Record(_kernel.Apply(changes)), wakeAt);
    }

    /// <summary>Desired next to programmed for every prefix that matters, sorted by prefix.</summary>
    public RouteReport Report()
    {
        var entries = new List<RouteStatusEntry>();
        foreach (var (prefix, desired) in _routes.Desired)
        {
            var kind = KindOf(prefix)!.Value;
            _routes.Dataplane.TryGetValue(prefix, out var programmed);
            entries.Add(DesiredEntry(prefix, kind, desired, programmed));
        }
        foreach (var (prefix, programmed) in _routes.Dataplane)
        {
            if (!_routes.Desired.ContainsKey(prefix))
            {
                entries.Add(new RouteStatusEntry(
                    prefix, RouteOwnership.Classify(programmed), RouteState.Unexpected, null, programmed, null, UnexpectedDetail(programmed)));
            }
        }
        foreach (var (prefix, routes) in _foreign)
        {
            if (!_routes.Desired.ContainsKey(prefix) && InsideOurBlocks(prefix))
            {
                entries.AddRange(routes.Select(r => new RouteStatusEntry(
                    prefix, null, RouteState.Conflict, null, r.Target, r.Protocol, $"route of protocol {r.Protocol} inside a block of this node")));
            }
        }
        entries.Sort((a, b) => NetworkOrder.Instance.Compare(a.Prefix, b.Prefix));
        return new RouteReport(entries, LastResync);
    }

    private RouteStatusEntry DesiredEntry(IPNetwork prefix, RouteKind kind, RouteTarget desired, RouteTarget? programmed)
    {
        if (_foreign.TryGetValue(prefix, out var others))
        {
            var other = others[0];
            var detail = $"route of protocol {other.Protocol} ({other.Target}) holds this prefix; left alone";
            return new RouteStatusEntry(prefix, kind, RouteState.Conflict, desired, other.Target, other.Protocol, detail);
        }
        if (programmed is null)
        {
            var state = kind == RouteKind.Blackhole ? RouteState.MissingBlackhole : RouteState.Missing;
            return new RouteStatusEntry(prefix, kind, state, desired, null, null, _lastErrors.GetValueOrDefault(prefix, "not programmed yet"));
        }
        return desired.Equals(programmed)
            ? new RouteStatusEntry(prefix, kind, RouteState.Ok, desired, programmed, null, "")
            : new RouteStatusEntry(prefix, kind, RouteState.WrongNextHop, desired, programmed, null, _lastErrors.GetValueOrDefault(prefix, "update pending"));
    }

    private string UnexpectedDetail(RouteTarget programmed)
    {
        var kind = RouteOwnership.Classify(programmed);
        if (!_sourceInSync[(int)kind])
        {
            return kind == RouteKind.Bgp ? "kept until BGP has re-learned its routes" : "kept until the datastore is synced";
        }
        return DeletionDueAt(programmed) is { } due && due > _time.GetUtcNow()
            ? $"new interface: removal after the grace period, at {due:O}"
            : "removal pending";
    }

    /// <summary>When a route of ours on a new interface stops being protected by the grace period.</summary>
    private DateTimeOffset? DeletionDueAt(RouteTarget actual) =>
        actual.Device is { } device && _linkFirstSeen.TryGetValue(device, out var firstSeen) ? firstSeen + _gracePeriod : null;

    private string? Record(IReadOnlyList<RouteChangeResult> results)
    {
        string? firstError = null;
        foreach (var result in results)
        {
            var route = result.Change.Route;
            if (result.Succeeded || (result.Change.Delete && result.AlreadyGone))
            {
                _lastErrors.Remove(route.Destination);
                if (_routes.Dataplane.TryGetValue(route.Destination, out var replaced))
                {
                    _programmed[(int)RouteOwnership.Classify(replaced)]--;
                }
                if (result.Change.Delete)
                {
                    _routes.DeleteDataplane(route.Destination);
                }
                else
                {
                    _routes.SetDataplane(route.Destination, route.Target);
                    _programmed[(int)RouteOwnership.Classify(route.Target)]++;
                }
                continue;
            }
            _lastErrors[route.Destination] = result.Error!;
            firstError ??= $"{(result.Change.Delete ? "delete" : "replace")} {route}: {result.Error}";
        }
        return firstError;
    }

    private void RefreshLinks()
    {
        var now = _time.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in _kernel.ListLinks())
        {
            present.Add(link.Name);
            _linkFirstSeen.TryAdd(link.Name, now);
        }
        foreach (var gone in _linkFirstSeen.Keys.Where(n => !present.Contains(n)).ToList())
        {
            _linkFirstSeen.Remove(gone);
        }
    }

    private void Recompute(IPNetwork prefix)
    {
        if (KindOf(prefix) is { } kind)
        {
            _routes.SetDesired(prefix, _wanted[(int)kind][prefix]);
        }
        else
        {
            _routes.DeleteDesired(prefix);
        }
        _lastErrors.Remove(prefix);
    }

    /// <summary>The reason that wins a prefix: the first kind, in precedence order, that wants it.</summary>
    private RouteKind? KindOf(IPNetwork prefix)
    {
        for (var kind = 0; kind < _wanted.Length; kind++)
        {
            if (_wanted[kind].ContainsKey(prefix))
            {
                return (RouteKind)kind;
            }
        }
        return null;
    }

    private bool InsideOurBlocks(IPNetwork prefix) =>
        _wanted[(int)RouteKind.Blackhole].Keys.Any(block => block.PrefixLength <= prefix.PrefixLength && block.Contains(prefix.BaseAddress));

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
