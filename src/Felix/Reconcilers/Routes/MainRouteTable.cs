using System.Net;
using System.Runtime.CompilerServices;
using RoutedNet.BgpSpeaker.Wire;
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
/// <item>One state per prefix that a reason wants or the kernel holds for us: the route of ours
///   in the kernel and, in place, the BGP route (a full table arrives as a stream of changes, so a
///   dictionary of its own would cost a lookup more per route). Pod routes and blackholes are few
///   and relisted whole by the datastore on every change: they keep a dictionary each, and their
///   relist touches only their own prefixes. The desired route is the first reason's, in
///   <see cref="RouteKind"/> order. A prefix whose desired and programmed routes differ is queued
///   once for the next apply, which sends only those (one netlink batch); a resync reads the kernel
///   back and queues the drift (a route deleted by hand, one of ours left from before a restart).
///   Keys are <see cref="BgpPrefix"/>es, the speaker's compact prefix (no IPAddress object per entry
///   for the GC to trace, a hash that keeps a sorted table's neighbours together): a BGP route costs
///   two lookups from its arrival to its ack (an apply books a change as made and puts it back if
///   the kernel refuses it).</item>
/// <item>Adding is always safe; removing is not. A route of ours without a reason is removed only
///   when the source of its kind has said it is complete (datastore synced, BGP re-learned after a
///   restart), and a pod route only once its interface has been known for the grace period: the
///   CNI plugin adds the route before it writes the WorkloadEndpoint, so a new veth's route is
///   briefly "unexplained" (Calico's route table gives new interfaces the same grace).</item>
/// <item>A pod route whose veth does not exist is not attempted (the kernel would say ENODEV on
///   every retry); it is reported missing and tried again when the interface shows up. One whose
///   veth is not up yet (ENETDOWN: the agent hears of a pod at its allocation, while the plugin is
///   still making the veth) is no failure either: reported missing and tried again likewise.</item>
/// </list>
/// Not thread-safe: it is owned by <see cref="RouteReconciler"/>'s loop.
/// </summary>
public sealed class MainRouteTable
{
    /// <summary>How soon to look again for a pod's interface that does not exist yet.</summary>
    public static readonly TimeSpan MissingDeviceRetry = TimeSpan.FromSeconds(2);

    /// <summary>Changes per netlink batch: its per-change arrays (here and in the kernel's answer) stay under 85,000 bytes.</summary>
    private const int ApplyChunk = 1024;

    /// <summary>
    /// Prefixes one <see cref="Apply"/> takes off the queue (about 70 ms of netlink at a full
    /// table's rate): the rest waits for the next, and the loop takes the events that arrived in
    /// between. The speaker decides a full table twice as fast as the kernel takes it; applied in
    /// one pass, half the table waited meanwhile in the loop's mailbox as event arrays that
    /// outlived the young generation (20-30 MB of garbage for a full collection to find). Between
    /// passes each event becomes an 8-byte queue entry and its array dies young.
    /// </summary>
    internal const int ApplyPass = 16 * ApplyChunk;

    private readonly IKernelRoutes _kernel;
    private readonly TimeProvider _time;
    private readonly TimeSpan _gracePeriod;
    private readonly Dictionary<BgpPrefix, RouteTarget>[] _listed = [[], []];
    private readonly PrefixTable<PrefixState> _prefixes = new();
    private TargetNumbers _targets = new();
    private PrefixQueue _queue = new();
    private PrefixQueue _draining = new();
    private int _drained;
    private bool _changedSinceRound;
    private readonly List<BgpPrefix> _chunkKeys = new(ApplyChunk);
    private readonly List<int> _chunkHeld = new(ApplyChunk);
    private readonly List<RouteChange> _chunkChanges = new(ApplyChunk);
    private readonly bool[] _sourceInSync = new bool[3];
    private readonly Dictionary<BgpPrefix, List<KernelRoute>> _foreign = [];
    private readonly Dictionary<string, DateTimeOffset> _linkFirstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<BgpPrefix, string> _lastErrors = [];
    // A change of this apply found its interface not up: the apply asks to be woken for a retry.
    private bool _deviceDownSeen;
    private readonly int[] _programmedCount = new int[3];
    private readonly ReadBack _readBack;
    private bool _readBackIncomplete;

    public MainRouteTable(IKernelRoutes kernel, TimeProvider time, TimeSpan gracePeriod)
    {
        _kernel = kernel;
        _time = time;
        _gracePeriod = gracePeriod;
        _readBack = new ReadBack(this);
    }

    public DateTimeOffset? LastResync { get; private set; }

    /// <summary>True once a full read-back has happened and nothing is pending.</summary>
    public bool InSync => LastResync is not null && _queue.Count == 0 && _drained == _draining.Count;

    /// <summary>Sets (or with a null target removes) one reason's route for a prefix.</summary>
    public void SetRoute(RouteKind kind, BgpPrefix key, RouteTarget? target)
    {
        if (kind != RouteKind.Bgp)
        {
            if (target is null)
            {
                _listed[(int)kind].Remove(key);
            }
            else
            {
                _listed[(int)kind][key] = target;
            }
        }
        ref var state = ref _prefixes.GetValueRefOrAddDefault(key, out _);
        if (kind == RouteKind.Bgp)
        {
            state.Bgp = _targets.NumberOf(target);
        }
        Changed(key, ref state);
    }

    /// <summary>Replaces everything one reason wants (a source's full resync or relist).</summary>
    public void ReplaceRoutes(RouteKind kind, IReadOnlyDictionary<IPNetwork, RouteTarget> routes)
    {
        if (kind == RouteKind.Bgp)
        {
            // BGP routes arrive as changes and are never relisted; this is correct, but walks every prefix.
            foreach (var key in _prefixes.Keys)
            {
                ref var state = ref _prefixes.GetValueRefOrNullRef(key);
                state.Bgp = 0;
                Changed(key, ref state);
            }
            foreach (var (prefix, target) in routes)
            {
                SetRoute(kind, BgpPrefix.FromIPNetwork(prefix), target);
            }
            return;
        }
        var previous = _listed[(int)kind];
        var wanted = new Dictionary<BgpPrefix, RouteTarget>(routes.Count);
        foreach (var (prefix, target) in routes)
        {
            wanted[BgpPrefix.FromIPNetwork(prefix)] = target;
        }
        _listed[(int)kind] = wanted;
        foreach (var key in previous.Keys.Concat(wanted.Keys))
        {
            Changed(key, ref _prefixes.GetValueRefOrAddDefault(key, out _));
        }
    }

    /// <summary>The source of <paramref name="kind"/> now knows all it wants: unexplained routes of that kind may go.</summary>
    public void MarkInSync(RouteKind kind) => _sourceInSync[(int)kind] = true;

    public bool IsInSync(RouteKind kind) => _sourceInSync[(int)kind];

    /// <summary>
    /// The source of <paramref name="kind"/> starts over (BGP restarted with a new identity): what
    /// it wanted is forgotten, but the kernel keeps its routes until the source says it is in sync
    /// again, as after an agent restart, so traffic keeps flowing while the routes are re-learned.
    /// </summary>
    public void RestartSource(RouteKind kind)
    {
        _sourceInSync[(int)kind] = false;
        ReplaceRoutes(kind, new Dictionary<IPNetwork, RouteTarget>());
    }

    /// <summary>Routes of ours in the kernel by kind: counted as they are written, not by walking a million-route table after every pass.</summary>
    public int CountProgrammed(RouteKind kind) => _programmedCount[(int)kind];

    public int CountConflicts() => _foreign.Keys.Count(key => Desired(key) is not null);

    /// <summary>
    /// Reads every main-table route back from the kernel and the interfaces with them. The routes
    /// are taken one at a time as the kernel's reply is read (<see cref="IKernelRoutes.ScanRoutes"/>),
    /// not listed first: at 10k ECMP routes a list of them was 18 MB of garbage every resync. So the
    /// table's view of the kernel is rewritten while the kernel is read: a read that fails halfway
    /// leaves it incomplete, and the next <see cref="Apply"/> reads again before it writes anything.
    /// </summary>
    public void Resync()
    {
        _readBackIncomplete = true;
        // Numbered afresh: targets no prefix uses any more are dropped.
        var previous = _targets;
        _targets = new TargetNumbers();
        foreach (var key in _prefixes.Keys)
        {
            ref var state = ref _prefixes.GetValueRefOrNullRef(key);
            state.Bgp = _targets.NumberOf(previous[state.Bgp]);
            state.Queued = false;
        }
        ForgetProgrammed();
        _kernel.ScanRoutes(_readBack);
        _queue.Clear();
        _draining.Clear();
        _drained = 0;
        Array.Clear(_programmedCount);
        foreach (var key in _prefixes.Keys)
        {
            ref var state = ref _prefixes.GetValueRefOrNullRef(key);
            if (_targets[state.Programmed] is { } programmed)
            {
                _programmedCount[(int)RouteOwnership.Classify(programmed)]++;
            }
            Changed(key, ref state);
        }
        RefreshLinks();
        _readBackIncomplete = false;
        LastResync = _time.GetUtcNow();
    }

    /// <summary>
    /// Sends the pending difference to the kernel, <see cref="ApplyChunk"/> changes per netlink
    /// batch and at most <see cref="ApplyPass"/> prefixes per call: with more queued, the outcome
    /// asks to be woken at once (<see cref="ApplyOutcome.WakeAt"/> now), so the loop handles the
    /// events that came meanwhile and calls again. A pass works through the queue as it was when
    /// the pass before it ended; prefixes queued since wait for the next round, each at most once
    /// (a prefix's queued flag stays set until its turn, and its turn books the latest of what is
    /// wanted: a withdrawal after an announcement is never applied before it, nor lost).
    /// The chunk's lists are reused and stay below the large-object heap's threshold: a full table
    /// queued at once would otherwise allocate tens of megabytes of short-lived arrays there, and
    /// large-object allocations are what drive the runtime to full (gen2) collections.
    /// </summary>
    public ApplyOutcome Apply()
    {
        if (_readBackIncomplete)
        {
            Resync();
        }
        var now = _time.GetUtcNow();
        var wakeAt = (DateTimeOffset?)null;
        if (_drained == _draining.Count)
        {
            _draining.Clear();
            _drained = 0;
            (_queue, _draining) = (_draining, _queue);
            _changedSinceRound = false;
        }
        var work = _draining;
        var end = Math.Min(work.Count, _drained + ApplyPass);
        string? firstError = null;
        var linksRefreshed = false;
        var next = _drained;
        try
        {
            while (next < end)
            {
                CollectChunk(work, ref next, end, now, ref wakeAt, ref linksRefreshed);
                if (_chunkChanges.Count > 0 && SendChunk() is { } error)
                {
                    firstError ??= error;
                }
            }
        }
        catch
        {
            // What the failed chunk booked is put back; the prefix it failed on (a link listing
            // can fail too) and those not reached stay queued.
            for (var i = 0; i < _chunkKeys.Count; i++)
            {
                Restore(_chunkKeys[i], _chunkHeld[i]);
            }
            for (; next < work.Count; next++)
            {
                Requeue(work[next]);
            }
            work.Clear();
            _drained = 0;
            throw;
        }
        finally
        {
            ClearChunk();
        }
        _drained = next;
        if (_drained == work.Count)
        {
            work.Clear();
            _drained = 0;
        }
        if (_deviceDownSeen)
        {
            _deviceDownSeen = false;
            wakeAt = Earliest(wakeAt, now + MissingDeviceRetry);
        }
        // More of this round, or changes queued while it ran: at once. What a pass queued again
        // itself (a missing interface, a grace period, a conflict) waits as before, for its time
        // or the next change.
        if (_drained != 0 || _changedSinceRound)
        {
            wakeAt = now;
        }
        return new ApplyOutcome(firstError, wakeAt);
    }

    /// <summary>
    /// Books the changes for queued prefixes from <paramref name="next"/> on until a chunk is full
    /// or <paramref name="end"/> is reached, advancing it past each prefix done (so that after an
    /// exception it names the one that failed).
    /// </summary>
    private void CollectChunk(PrefixQueue work, ref int next, int end, DateTimeOffset now, ref DateTimeOffset? wakeAt, ref bool linksRefreshed)
    {
        ClearChunk();
        for (; next < end && _chunkChanges.Count < ApplyChunk; next++)
        {
            var key = work[next];
            ref var state = ref _prefixes.GetValueRefOrNullRef(key);
            if (Unsafe.IsNullRef(ref state))
            {
                continue;
            }
            state.Queued = false;
            if (Matches(key, state))
            {
                ForgetIfUnused(key, state);
                continue;
            }
            if (Desired(key, state) is { } desired)
            {
                if (_foreign.Count > 0 && _foreign.ContainsKey(key))
                {
                    Enqueue(key, ref state);
                    continue;
                }
                if (desired.Device is { } device && !HasFreshLink(device, ref linksRefreshed))
                {
                    _lastErrors[key] = $"interface {device} does not exist";
                    wakeAt = Earliest(wakeAt, now + MissingDeviceRetry);
                    Enqueue(key, ref state);
                    continue;
                }
                _chunkKeys.Add(key);
                _chunkHeld.Add(state.Programmed);
                // Replace only a route known to be ours: where none is known, another owner may
                // have added one since the last read-back, and it must be refused, not taken over.
                var route = new KernelRoute(key.ToIPNetwork(), desired, RouteOwnership.Protocol);
                _chunkChanges.Add(state.Programmed == 0 ? RouteChange.Create(route) : RouteChange.Replace(route));
                SetProgrammed(ref state, _targets.NumberOf(desired));
                continue;
            }
            var actual = _targets[state.Programmed]!;
            if (actual.Device is { } stale)
            {
                // Refreshed so that the grace period of a new interface is counted from when it was first seen.
                HasLink(stale, ref linksRefreshed);
            }
            if (DeletionDueAt(actual) is { } due && due > now)
            {
                wakeAt = Earliest(wakeAt, due);
                Enqueue(key, ref state);
                continue;
            }
            if (!_sourceInSync[(int)RouteOwnership.Classify(actual)])
            {
                Enqueue(key, ref state);
                continue;
            }
            _chunkKeys.Add(key);
            _chunkHeld.Add(state.Programmed);
            SetProgrammed(ref state, 0);
            ForgetIfUnused(key, state);
            _chunkChanges.Add(RouteChange.Remove(new KernelRoute(key.ToIPNetwork(), actual, RouteOwnership.Protocol)));
        }
    }

    /// <summary>One netlink batch for the collected chunk; returns the first failure, if any.</summary>
    private string? SendChunk()
    {
        return Record(_chunkKeys, _chunkHeld, _kernel.Apply(_chunkChanges));
    }

    private void ClearChunk()
    {
        _chunkKeys.Clear();
        _chunkHeld.Clear();
        _chunkChanges.Clear();
    }

    /// <summary>Desired next to programmed for every prefix that matters, sorted by prefix.</summary>
    public RouteReport Report()
    {
        var entries = new List<RouteStatusEntry>();
        foreach (var (key, state) in _prefixes)
        {
            if (KindOf(key, state) is { } kind)
            {
                entries.Add(DesiredEntry(key, kind, Desired(key, state)!, _targets[state.Programmed]));
            }
            else if (_targets[state.Programmed] is { } programmed)
            {
                entries.Add(new RouteStatusEntry(
                    key.ToIPNetwork(), RouteOwnership.Classify(programmed), RouteState.Unexpected, null, programmed, null, UnexpectedDetail(programmed)));
            }
        }
        foreach (var (key, routes) in _foreign)
        {
            var prefix = key.ToIPNetwork();
            if (Desired(key) is null && InsideOurBlocks(prefix))
            {
                entries.AddRange(routes.Select(r => new RouteStatusEntry(
                    prefix, null, RouteState.Conflict, null, r.Target, r.Protocol, $"route of protocol {r.Protocol} inside a block of this node")));
            }
        }
        entries.Sort((a, b) => NetworkOrder.Instance.Compare(a.Prefix, b.Prefix));
        return new RouteReport(entries, LastResync);
    }

    private RouteStatusEntry DesiredEntry(BgpPrefix key, RouteKind kind, RouteTarget desired, RouteTarget? programmed)
    {
        var prefix = key.ToIPNetwork();
        if (_foreign.TryGetValue(key, out var others))
        {
            var other = others[0];
            var detail = $"route of protocol {other.Protocol} ({other.Target}) holds this prefix; left alone";
            return new RouteStatusEntry(prefix, kind, RouteState.Conflict, desired, other.Target, other.Protocol, detail);
        }
        if (programmed is null)
        {
            var state = kind == RouteKind.Blackhole ? RouteState.MissingBlackhole : RouteState.Missing;
            return new RouteStatusEntry(prefix, kind, state, desired, null, null, _lastErrors.GetValueOrDefault(key, "not programmed yet"));
        }
        return desired.Equals(programmed)
            ? new RouteStatusEntry(prefix, kind, RouteState.Ok, desired, programmed, null, "")
            : new RouteStatusEntry(prefix, kind, RouteState.WrongNextHop, desired, programmed, null, _lastErrors.GetValueOrDefault(key, "update pending"));
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

    /// <summary>
    /// Books the kernel's answers. <see cref="Apply"/> recorded every change as made when it queued
    /// it (one lookup per route instead of two); a change the kernel refused puts back what the
    /// kernel still holds (<paramref name="held"/>) and is queued again.
    /// </summary>
    private string? Record(List<BgpPrefix> keys, List<int> held, IReadOnlyList<RouteChangeResult> results)
    {
        string? firstError = null;
        List<(BgpPrefix Key, int Held)>? taken = null;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (result.Succeeded || (result.Change.Delete && result.AlreadyGone))
            {
                if (_lastErrors.Count > 0)
                {
                    _lastErrors.Remove(keys[i]);
                }
                continue;
            }
            if (result.Change.CreateOnly && result.AlreadyExists)
            {
                (taken ??= []).Add((keys[i], held[i]));
                continue;
            }
            Restore(keys[i], held[i]);
            if (result.DeviceDown && !result.Change.Delete)
            {
                _lastErrors[keys[i]] = $"interface {result.Change.Route.Target.Device} is not up";
                _deviceDownSeen = true;
                continue;
            }
            _lastErrors[keys[i]] = result.Error!;
            firstError ??= $"{(result.Change.Delete ? "delete" : "replace")} {result.Change.Route}: {result.Error}";
        }
        if (taken is not null)
        {
            SettleTaken(taken);
        }
        return firstError;
    }

    /// <summary>
    /// Prefixes a create found taken since the last read-back, settled by reading the table again
    /// (once for all of them): a route of ours there (the CNI plugin routes its new pod itself,
    /// often before the agent hears of the pod) is adopted and corrected by the next apply if it
    /// differs; another owner's is a conflict, left alone and reported, as a read-back would; a
    /// route gone meanwhile is created again. None of these is an apply failure.
    /// </summary>
    private void SettleTaken(List<(BgpPrefix Key, int Held)> taken)
    {
        var wanted = taken.Select(t => t.Key).ToHashSet();
        var found = new Dictionary<BgpPrefix, List<KernelRoute>>();
        foreach (var route in _kernel.ListRoutes())
        {
            var key = BgpPrefix.FromIPNetwork(route.Destination);
            if (wanted.Contains(key))
            {
                if (!found.TryGetValue(key, out var list))
                {
                    found[key] = list = [];
                }
                list.Add(route);
            }
        }
        foreach (var (key, held) in taken)
        {
            var there = found.GetValueOrDefault(key);
            var ours = there?.FindIndex(r => r.IsOurs) ?? -1;
            if (ours >= 0)
            {
                Restore(key, _targets.NumberOf(there![ours].Target));
            }
            else
            {
                if (there is not null)
                {
                    _foreign[key] = there;
                }
                Restore(key, held);
            }
            _lastErrors.Remove(key);
        }
    }

    /// <summary>A change did not happen: the kernel still holds target number <paramref name="held"/>; try again next apply.</summary>
    private void Restore(BgpPrefix key, int held)
    {
        // A deleted prefix may have been forgotten already.
        ref var state = ref _prefixes.GetValueRefOrAddDefault(key, out _);
        SetProgrammed(ref state, held);
        Enqueue(key, ref state);
    }

    /// <summary>Records what the kernel holds for a prefix, keeping the per-kind counts.</summary>
    private void SetProgrammed(ref PrefixState state, int number)
    {
        if (_targets[state.Programmed] is { } before)
        {
            _programmedCount[(int)RouteOwnership.Classify(before)]--;
        }
        state.Programmed = number;
        if (_targets[number] is { } after)
        {
            _programmedCount[(int)RouteOwnership.Classify(after)]++;
        }
    }

    /// <summary>
    /// Whether the interface of a route to write exists now: the links are read once per apply
    /// (pod routes are few), since a known name may have gone since (a pod deleted and made again).
    /// </summary>
    private bool HasFreshLink(string device, ref bool refreshed)
    {
        if (!refreshed)
        {
            refreshed = true;
            RefreshLinks();
        }
        return _linkFirstSeen.ContainsKey(device);
    }

    /// <summary>Whether the interface is known, reading the links once per apply the first time one is not.</summary>
    private bool HasLink(string device, ref bool refreshed) =>
        _linkFirstSeen.ContainsKey(device) || HasFreshLink(device, ref refreshed);

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

    /// <summary>After a change to what is wanted or held for <paramref name="key"/>: queue it if the two differ.</summary>
    private void Changed(BgpPrefix key, ref PrefixState state)
    {
        if (_lastErrors.Count > 0)
        {
            _lastErrors.Remove(key);
        }
        if (state.Queued)
        {
            return;
        }
        if (!Matches(key, state))
        {
            Enqueue(key, ref state);
            _changedSinceRound = true;
        }
        else
        {
            ForgetIfUnused(key, state);
        }
    }

    /// <summary>Puts a prefix taken off the queue back on it, whether or not its pass had begun.</summary>
    private void Requeue(BgpPrefix key)
    {
        ref var state = ref _prefixes.GetValueRefOrNullRef(key);
        if (!Unsafe.IsNullRef(ref state))
        {
            state.Queued = false;
            Enqueue(key, ref state);
        }
    }

    /// <summary>Queues the prefix for the next apply, once.</summary>
    private void Enqueue(BgpPrefix key, ref PrefixState state)
    {
        if (!state.Queued)
        {
            state.Queued = true;
            _queue.Add(key);
        }
    }

    /// <summary>Drops the state of a prefix that nothing wants, the kernel does not hold for us and no apply will look at.</summary>
    private void ForgetIfUnused(BgpPrefix key, in PrefixState state)
    {
        if (!state.Queued && state.Programmed == 0 && Desired(key, state) is null)
        {
            _prefixes.Remove(key);
        }
    }

    private RouteTarget? Desired(BgpPrefix key) =>
        _prefixes.TryGetValue(key, out var state) ? Desired(key, state) : null;

    /// <summary>The route of the first kind, in precedence order, that wants the prefix.</summary>
    private RouteTarget? Desired(BgpPrefix key, in PrefixState state) =>
        ListedRoute(key, out _) ?? _targets[state.Bgp];

    /// <summary>Whether the kernel holds exactly the desired route (or nothing, when nothing is desired).</summary>
    private bool Matches(BgpPrefix key, in PrefixState state) =>
        (ListedRoute(key, out _) is { } listed ? _targets.NumberOf(listed) : state.Bgp) == state.Programmed;

    /// <summary>The reason that wins a prefix: the first kind, in precedence order, that wants it.</summary>
    private RouteKind? KindOf(BgpPrefix key, in PrefixState state) =>
        ListedRoute(key, out var kind) is not null ? kind : state.Bgp == 0 ? null : RouteKind.Bgp;

    /// <summary>The route of the first relisted kind (pod routes, then blackholes) that wants the prefix, and that kind.</summary>
    private RouteTarget? ListedRoute(BgpPrefix key, out RouteKind kind)
    {
        for (var i = 0; i < _listed.Length; i++)
        {
            if (_listed[i].Count > 0 && _listed[i].TryGetValue(key, out var target))
            {
                kind = (RouteKind)i;
                return target;
            }
        }
        kind = default;
        return null;
    }

    private bool InsideOurBlocks(IPNetwork prefix) =>
        _listed[(int)RouteKind.Blackhole].Keys.Select(k => k.ToIPNetwork()).Any(block => block.PrefixLength <= prefix.PrefixLength && block.Contains(prefix.BaseAddress));

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>Before a read-back (and when the kernel restarts one): nothing is known to be in the kernel.</summary>
    private void ForgetProgrammed()
    {
        _foreign.Clear();
        foreach (var key in _prefixes.Keys)
        {
            _prefixes.GetValueRefOrNullRef(key).Programmed = 0;
        }
    }

    /// <summary>One route read back: ours is what the kernel holds for the prefix, another owner's a possible conflict.</summary>
    private void ReadBackRoute(BgpPrefix key, RouteTarget target, byte protocol)
    {
        if (protocol == RouteOwnership.Protocol)
        {
            // Two routes of ours for one prefix (different metrics) cannot come from us; keep one.
            ref var state = ref _prefixes.GetValueRefOrAddDefault(key, out _);
            if (state.Programmed == 0)
            {
                state.Programmed = _targets.NumberOf(target);
            }
        }
        else
        {
            if (!_foreign.TryGetValue(key, out var list))
            {
                _foreign[key] = list = [];
            }
            list.Add(new KernelRoute(key.ToIPNetwork(), target, protocol));
        }
    }

    /// <summary>The table's side of a read-back, made once (a resync allocates nothing per route).</summary>
    private sealed class ReadBack(MainRouteTable table) : IKernelRouteSink
    {
        public void Route(BgpPrefix destination, RouteTarget target, byte protocol) => table.ReadBackRoute(destination, target, protocol);

        public void Restart() => table.ForgetProgrammed();
    }

    /// <summary>
    /// What is known of one prefix besides the relisted reasons' dictionaries; targets by their
    /// <see cref="TargetNumbers"/> number (0: none), so that the state holds no references. Eight
    /// bytes (the queued flag is the sign bit of the programmed number): with an IPv4 prefix's
    /// 8-byte key a slot of the table is 16 bytes (and a state byte) rather than 24.
    /// </summary>
    private struct PrefixState
    {
        /// <summary>The route learned over BGP, if any.</summary>
        public int Bgp;

        private int _programmedAndQueued;

        /// <summary>The route of ours the kernel holds, as last read back or written.</summary>
        public int Programmed
        {
            readonly get => _programmedAndQueued & int.MaxValue;
            set => _programmedAndQueued = (_programmedAndQueued & int.MinValue) | value;
        }

        /// <summary>In the queue for the next apply (each prefix at most once).</summary>
        public bool Queued
        {
            readonly get => _programmedAndQueued < 0;
            set => _programmedAndQueued = value ? _programmedAndQueued | int.MinValue : _programmedAndQueued & int.MaxValue;
        }
    }
}
