using System.Net.Sockets;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The members of every selector set between one calculation and the next, so that a change
/// re-evaluates selectors only for the endpoints that changed: with 10k endpoints and ~100 sets,
/// evaluating every selector against every endpoint on each change cost ~50 ms of the agent's
/// ~100 ms per change (bench/policy-enforce.sh, docs/BENCHMARKS.md). A set whose members did not
/// change keeps its <see cref="DesiredSet"/> object, which the diff then skips by reference.
/// Everything is dropped (and recomputed in full) when a namespace's labels change, since every
/// namespaceSelector scope may move. Part of <see cref="PolicyCalculationCache"/>; not thread-safe.
/// </summary>
public sealed class SelectorSetCache
{
    private IReadOnlyDictionary<string, PolicyEndpoint> _endpoints = new Dictionary<string, PolicyEndpoint>(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? _namespaces;
    private Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> _next = new(StringComparer.Ordinal);
    private readonly List<PolicyEndpoint> _changed = [];
    private readonly List<string> _removed = [];
    private bool _valid;
    private bool _open;

    /// <summary>Starts a calculation on <paramref name="snapshot"/>: what changed since the last one.</summary>
    internal void Begin(PolicySnapshot snapshot)
    {
        _changed.Clear();
        _removed.Clear();
        var current = snapshot.EndpointsById;
        foreach (var (id, endpoint) in current)
        {
            if (!_endpoints.TryGetValue(id, out var old) || !SameForSelectors(old, endpoint))
            {
                _changed.Add(endpoint);
            }
        }
        foreach (var id in _endpoints.Keys)
        {
            if (!current.ContainsKey(id))
            {
                _removed.Add(id);
            }
        }
        // A calculation that ended in an exception left its sets half updated: start over.
        _valid = !_open && _namespaces is not null && SameNamespaces(_namespaces, snapshot.NamespaceLabelsByName);
        _open = true;
        _endpoints = current;
        _namespaces = snapshot.NamespaceLabelsByName;
        _next = new Dictionary<string, Entry>(StringComparer.Ordinal);
    }

    /// <summary>Ends the calculation: sets it did not ask for are forgotten (they missed its changes).</summary>
    internal void End()
    {
        _entries = _next;
        _open = false;
    }

    /// <summary>The set <paramref name="name"/> of the addresses of <paramref name="family"/> of the endpoints <paramref name="inScope"/> picks.</summary>
    internal DesiredSet Addresses(string name, NftSet set, AddressFamily family, Func<PolicyEndpoint, bool> inScope)
    {
        if (_valid && _entries.TryGetValue(name, out var entry))
        {
            var changed = false;
            foreach (var id in _removed)
            {
                changed |= entry.Members.Remove(id);
            }
            foreach (var endpoint in _changed)
            {
                var was = entry.Members.Contains(endpoint.Id);
                var now = inScope(endpoint);
                if (now && !was)
                {
                    entry.Members.Add(endpoint.Id);
                }
                else if (!now && was)
                {
                    entry.Members.Remove(endpoint.Id);
                }
                // A member that stays may have new addresses.
                changed |= now || was;
            }
            if (changed)
            {
                entry = entry with { Set = Build(set, family, entry.Members) };
            }
            _next[name] = entry;
            return entry.Set;
        }
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in _endpoints.Values)
        {
            if (inScope(endpoint))
            {
                members.Add(endpoint.Id);
            }
        }
        var fresh = new Entry(members, Build(set, family, members));
        _next[name] = fresh;
        return fresh.Set;
    }

    private DesiredSet Build(NftSet set, AddressFamily family, HashSet<string> members) =>
        DesiredSet.Of(set, members
            .SelectMany(id => _endpoints[id].Addresses)
            .Where(a => a.AddressFamily == family)
            .Select(a => new NftSetElement(a.GetAddressBytes())));

    // What a selector scope reads of an endpoint: its namespace (in its id), labels, service account and addresses.
    private static bool SameForSelectors(PolicyEndpoint old, PolicyEndpoint now) =>
        ReferenceEquals(old, now)
        || (old.ServiceAccount == now.ServiceAccount
            && old.Addresses.SequenceEqual(now.Addresses)
            && SameLabels(old.SelectorLabels, now.SelectorLabels));

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameNamespaces(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> a, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (name, labels) in a)
        {
            if (!b.TryGetValue(name, out var other) || !SameLabels(labels, other))
            {
                return false;
            }
        }
        return true;
    }

    private sealed record Entry(HashSet<string> Members, DesiredSet Set);
}
