using System.Collections.Immutable;
using System.Net;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Every endpoint of the cluster as the policy model sees it, updated change by change from the
/// view's changed keys (WorkloadEndpoints; on Kubernetes also the other nodes' Pods) into
/// persistent maps, so that each snapshot costs what changed rather than 10k entries. Several
/// sources may name one endpoint id (a pod with several interfaces has a WorkloadEndpoint per
/// interface): the id stays while any of them does. Not thread-safe (the datastore loop's).
/// </summary>
internal sealed class PolicySubjects(string nodeName)
{
    private const string EndpointSource = "w|";
    private const string PodSource = "p|";

    private readonly Dictionary<string, PolicyEndpoint> _bySource = new(StringComparer.Ordinal);
    // The sources' subjects per id, in the order they came: the newest one is the id's endpoint.
    private readonly Dictionary<string, List<PolicyEndpoint>> _byIdSources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedIds = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, PolicyEndpoint> _byId = ImmutableDictionary.Create<string, PolicyEndpoint>(StringComparer.Ordinal);
    private ImmutableDictionary<IPAddress, PolicyEndpoint> _byAddress = ImmutableDictionary<IPAddress, PolicyEndpoint>.Empty;
    private EndpointChangeLog _changes = EndpointChangeLog.Start();
    private bool _loaded;

    /// <summary>Takes the view's changes since the last call (all of it the first time) and returns the endpoints now.</summary>
    public EndpointTable Update(ClusterView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var endpoints = view.WorkloadEndpoints.TakeChangedKeys();
        var pods = view.TakeChangedPods();
        if (!_loaded)
        {
            endpoints = [.. view.WorkloadEndpoints.Items.Keys];
            pods = [.. view.Pods?.Keys ?? []];
            _loaded = true;
        }
        _changedIds.Clear();
        foreach (var key in endpoints)
        {
            Set(EndpointSource + key, view.WorkloadEndpoints.Items.TryGetValue(key, out var endpoint) ? PolicyEndpoints.Subject(endpoint) : null);
        }
        foreach (var key in pods)
        {
            Set(PodSource + key, view.Pods?.GetValueOrDefault(key) is { } pod ? PolicyEndpoints.RemoteSubject(pod, nodeName) : null);
        }
        if (_changedIds.Count > 0)
        {
            _changes = _changes.Append(_changedIds);
        }
        return new EndpointTable(_byId, _byAddress, _changes);
    }

    private void Set(string source, PolicyEndpoint? now)
    {
        _bySource.TryGetValue(source, out var old);
        if (ReferenceEquals(old, now))
        {
            return;
        }
        if (old is not null)
        {
            _bySource.Remove(source);
            Forget(old);
        }
        if (now is not null)
        {
            _bySource[source] = now;
            if (!_byIdSources.TryGetValue(now.Id, out var sources))
            {
                _byIdSources[now.Id] = sources = [];
            }
            sources.Add(now);
            Show(now);
        }
    }

    private void Forget(PolicyEndpoint old)
    {
        var sources = _byIdSources[old.Id];
        sources.Remove(old);
        foreach (var address in old.Addresses)
        {
            if (_byAddress.TryGetValue(address, out var holder) && ReferenceEquals(holder, old))
            {
                _byAddress = _byAddress.Remove(address);
            }
        }
        if (sources.Count > 0)
        {
            Show(sources[^1]);
            return;
        }
        _byIdSources.Remove(old.Id);
        _byId = _byId.Remove(old.Id);
        _changedIds.Add(old.Id);
    }

    private void Show(PolicyEndpoint endpoint)
    {
        _byId = _byId.SetItem(endpoint.Id, endpoint);
        foreach (var address in endpoint.Addresses)
        {
            _byAddress = _byAddress.SetItem(address, endpoint);
        }
        _changedIds.Add(endpoint.Id);
    }
}
