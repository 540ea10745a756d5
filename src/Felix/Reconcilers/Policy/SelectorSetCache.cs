using System.Net.Sockets;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The members of every selector set between one calculation and the next, so that a change
/// re-evaluates selectors only for the endpoints that changed: with 10k endpoints and ~100 sets,
/// evaluating every selector against every endpoint on each change cost ~50 ms of the agent's
/// ~100 ms per change (bench/policy-enforce.sh, docs/BENCHMARKS.md). A set whose members did not
/// change keeps its <see cref="DesiredSet"/> object, which the diff then skips by reference. Which
/// endpoints changed comes from the agent's snapshots (their <see cref="EndpointChangeLog"/>);
/// any other snapshot is compared endpoint by endpoint.
/// Everything is dropped (and recomputed in full) when a namespace's labels change, since every
/// namespaceSelector scope may move. A set no calculation asks for (its policies select no local
/// pod any more) is kept up to date for <see cref="RetainedCalculations"/> more: the first pod of
/// a namespace makes its policies active again, and evaluating their selectors against every
/// endpoint then was a CNI ADD's p99 (~90 ms at 10k endpoints, bench/cni-latency.sh -P 1000).
/// Part of <see cref="PolicyCalculationCache"/>; not thread-safe.
/// </summary>
public sealed class SelectorSetCache
{
    private PolicySnapshot? _last;
    private Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> _next = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedIds = new(StringComparer.Ordinal);
    private readonly List<PolicyEndpoint> _changed = [];
    private readonly List<string> _removed = [];
    private static readonly IReadOnlyDictionary<string, PolicyEndpoint> NoEndpoints = new Dictionary<string, PolicyEndpoint>(StringComparer.Ordinal);
    private bool _valid;
    private bool _open;
    private long _calculation;

    /// <summary>How many calculations a set nobody asks for is kept (and updated) before it is forgotten.</summary>
    public const int RetainedCalculations = 1000;

    /// <summary>Starts a calculation on <paramref name="snapshot"/>: what changed since the last one.</summary>
    internal void Begin(PolicySnapshot snapshot)
    {
        _changed.Clear();
        _removed.Clear();
        _changedIds.Clear();
        var current = snapshot.EndpointsById;
        var before = _last?.EndpointsById ?? NoEndpoints;
        // The agent's snapshots say which ids changed since the last one seen; any other snapshot
        // (or one too far ahead) is compared endpoint by endpoint.
        if (_last is null || !snapshot.EndpointChanges.TryChangedSince(_last.EndpointChanges, _changedIds))
        {
            _changedIds.Clear();
            _changedIds.UnionWith(current.Keys);
            _changedIds.UnionWith(before.Keys);
        }
        foreach (var id in _changedIds)
        {
            if (current.TryGetValue(id, out var endpoint))
            {
                if (!before.TryGetValue(id, out var old) || !SameForSelectors(old, endpoint))
                {
                    _changed.Add(endpoint);
                }
            }
            else if (before.ContainsKey(id))
            {
                _removed.Add(id);
            }
        }
        // A calculation that ended in an exception left its sets half updated: start over.
        _valid = !_open && _last is not null && snapshot.SameNamespacesAs(_last);
        _open = true;
        _last = snapshot;
        _calculation++;
        _next = new Dictionary<string, Entry>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Ends the calculation: a set it did not ask for is brought up to date with its changes and
    /// kept, unless nobody asked for it in <see cref="RetainedCalculations"/> calculations (or this
    /// calculation started over, which it missed).
    /// </summary>
    internal void End()
    {
        if (_valid)
        {
            foreach (var (name, entry) in _entries)
            {
                if (!_next.ContainsKey(name) && _calculation - entry.LastAsked < RetainedCalculations)
                {
                    _next[name] = Update(entry);
                }
            }
        }
        _entries = _next;
        _open = false;
    }

    /// <summary>The set <paramref name="name"/> of the addresses of <paramref name="family"/> of the endpoints <paramref name="inScope"/> picks.</summary>
    internal DesiredSet Addresses(string name, NftSet set, AddressFamily family, Func<PolicyEndpoint, bool> inScope)
    {
        if (_valid && _entries.TryGetValue(name, out var entry))
        {
            entry = Update(entry);
            var current = entry.Set ?? Build(set, family, entry.Members);
            _next[name] = entry with { Set = current, InScope = inScope, LastAsked = _calculation };
            return current;
        }
        var members = new Dictionary<string, PolicyEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in _last!.EndpointsById.Values)
        {
            if (inScope(endpoint))
            {
                members[endpoint.Id] = endpoint;
            }
        }
        var built = Build(set, family, members);
        _next[name] = new Entry(members, built, inScope, _calculation);
        return built;
    }

    /// <summary>
    /// <paramref name="entry"/> with this calculation's changes applied to its members (in place);
    /// when a member came, went or changed, its set is to be built again (null on the entry returned).
    /// </summary>
    private Entry Update(Entry entry)
    {
        var changed = false;
        foreach (var id in _removed)
        {
            changed |= entry.Members.Remove(id);
        }
        foreach (var endpoint in _changed)
        {
            var was = entry.Members.ContainsKey(endpoint.Id);
            var now = entry.InScope(endpoint);
            if (now)
            {
                entry.Members[endpoint.Id] = endpoint;
            }
            else if (was)
            {
                entry.Members.Remove(endpoint.Id);
            }
            // A member that stays may have new addresses.
            changed |= now || was;
        }
        return changed ? entry with { Set = null } : entry;
    }

    private static DesiredSet Build(NftSet set, AddressFamily family, Dictionary<string, PolicyEndpoint> members) =>
        DesiredSet.Of(set, members.Values
            .SelectMany(e => e.Addresses)
            .Where(a => a.AddressFamily == family)
            .Select(a => new NftSetElement(a.GetAddressBytes())));

    // What a selector scope reads of an endpoint: its namespace (in its id), labels, service account and addresses.
    private static bool SameForSelectors(PolicyEndpoint old, PolicyEndpoint now) =>
        ReferenceEquals(old, now)
        || (old.ServiceAccount == now.ServiceAccount
            && old.Addresses.SequenceEqual(now.Addresses)
            && LabelSets.Same(old.SelectorLabels, now.SelectorLabels));

    /// <summary>A set's members, its table set (null: to be built again when asked), who is in scope, and the last calculation that asked.</summary>
    private sealed record Entry(Dictionary<string, PolicyEndpoint> Members, DesiredSet? Set, Func<PolicyEndpoint, bool> InScope, long LastAsked);
}
