using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// Everything the model needs, compiled once: endpoints (found by id or address), namespaces'
/// labels, and the policies in evaluation order (tier, order, id) with their selectors and rules
/// compiled. Which policies select an endpoint is cached per endpoint, so evaluating many flows
/// costs only rule matching. Immutable and thread-safe; make a new snapshot when anything changes.
/// </summary>
public sealed class PolicySnapshot
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly EndpointTable _endpoints;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _implicitNamespaceLabels;
    // Which policies select an endpoint, by endpoint object. Handed on to the next snapshot while
    // the policies and the namespaces' labels stay the same (most changes are a pod's endpoint):
    // selecting a node's 100 pods among 1,000 policies again after every change was ~6% of a pod
    // ADD's agent CPU. Weak keys: an endpoint that changed is a new object, the old one's entry goes with it.
    private readonly ConditionalWeakTable<PolicyEndpoint, Selected> _selected;
    private readonly ConditionalWeakTable<PolicyEndpoint, Selected>.CreateValueCallback _select;

    public PolicySnapshot(IEnumerable<PolicyEndpoint> endpoints, IEnumerable<PolicyNamespace> namespaces, IEnumerable<PolicyDefinition> policies)
        : this(EndpointTable.Of(endpoints), namespaces, (policies ?? throw new ArgumentNullException(nameof(policies))).Select(Compile), previous: null)
    {
    }

    private PolicySnapshot(EndpointTable endpoints, IEnumerable<PolicyNamespace> namespaces, IEnumerable<object> compiledOrInvalid, PolicySnapshot? previous)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(namespaces);
        _endpoints = endpoints;
        _implicitNamespaceLabels = new(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            _namespaceLabels[ns.Name] = ns.Labels;
        }
        var compiled = new List<CompiledPolicy>();
        var invalid = new List<InvalidPolicy>();
        foreach (var policy in compiledOrInvalid)
        {
            if (policy is CompiledPolicy c)
            {
                compiled.Add(c);
            }
            else
            {
                invalid.Add((InvalidPolicy)policy);
            }
        }
        Policies = SortedOnce(compiled);
        Invalid = invalid;
        _select = Select;
        _selected = previous is not null && ReferenceEquals(previous.Policies, Policies) && SameNamespaces(previous._namespaceLabels, _namespaceLabels)
            ? previous._selected
            : new();
    }

    // The same policies, namespaces and selections as previous (all immutable once made), other endpoints.
    private PolicySnapshot(PolicySnapshot previous, EndpointTable endpoints)
    {
        _endpoints = endpoints;
        _namespaceLabels = previous._namespaceLabels;
        _implicitNamespaceLabels = previous._implicitNamespaceLabels;
        Policies = previous.Policies;
        Invalid = previous.Invalid;
        _select = Select;
        _selected = previous._selected;
    }

    /// <summary>
    /// The snapshot that follows this one when only endpoints changed (the agent's most common
    /// change, a pod's endpoint): the policies, namespaces and what was learnt about which policies
    /// select which endpoint carry over as they are, without going through 1,000 policies and every
    /// namespace again (that was ~7 % of a pod ADD's agent CPU at 1,000 policies).
    /// </summary>
    public PolicySnapshot WithEndpoints(EndpointTable endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new PolicySnapshot(this, endpoints);
    }

    // The last sort, by its input: the agent makes a snapshot after every change and most changes
    // (a pod's endpoint) leave the policies as they were, so the same compiled objects come in the
    // same order; sorting 1,000 of them again was ~5% of a pod ADD's agent CPU (bench/cni-latency.sh -P 1000).
    private static readonly Lock LastSortLock = new();
    private static (List<CompiledPolicy> Input, List<CompiledPolicy> Sorted)? _lastSort;

    private static List<CompiledPolicy> SortedOnce(List<CompiledPolicy> compiled)
    {
        lock (LastSortLock)
        {
            if (_lastSort is { } last && last.Input.Count == compiled.Count && last.Input.SequenceEqual(compiled, ReferenceEqualityComparer.Instance))
            {
                return last.Sorted;
            }
        }
        var sorted = new List<CompiledPolicy>(compiled);
        sorted.Sort(CompiledPolicy.Compare);
        lock (LastSortLock)
        {
            _lastSort = (compiled, sorted);
        }
        return sorted;
    }

    /// <summary>An empty snapshot: no endpoints, no policies (everything allowed).</summary>
    public static PolicySnapshot Empty { get; } = new([], [], []);

    /// <summary>Every endpoint (made on first use: the agent's calculation reads them by id).</summary>
    public IReadOnlyList<PolicyEndpoint> Endpoints => field ??= [.. _endpoints.ById.Values];

    /// <summary>Policies that did not compile and are left out (the store refuses them on apply; this is for what got in another way).</summary>
    public IReadOnlyList<InvalidPolicy> Invalid { get; }

    internal IReadOnlyList<CompiledPolicy> Policies { get; }

    /// <summary>Every endpoint by id (the agent's set cache compares two snapshots' endpoints by it).</summary>
    internal IReadOnlyDictionary<string, PolicyEndpoint> EndpointsById => _endpoints.ById;

    /// <summary>Which endpoint ids changed in the generations before this snapshot's (the selector sets' cache reads it).</summary>
    internal EndpointChangeLog EndpointChanges => _endpoints.Changes;

    /// <summary>
    /// The snapshot of these resources: Kubernetes NetworkPolicies converted
    /// (<see cref="KubernetesPolicyConversion"/>), namespaces with their labels.
    /// </summary>
    public static PolicySnapshot Create(
        IEnumerable<PolicyEndpoint> endpoints,
        IEnumerable<Namespace> namespaces,
        IEnumerable<NetworkPolicy> networkPolicies,
        IEnumerable<GlobalNetworkPolicy> globalPolicies,
        IEnumerable<KubernetesNetworkPolicy> kubernetesPolicies) =>
        Create(EndpointTable.Of(endpoints), namespaces, networkPolicies, globalPolicies, kubernetesPolicies, previous: null);

    /// <summary>
    /// The snapshot that follows <paramref name="previous"/> (the agent's, after each change): the
    /// endpoints as the agent keeps them, and what <paramref name="previous"/> learnt about which
    /// policies select which endpoint, when the policies and namespaces are the same.
    /// </summary>
    public static PolicySnapshot Create(
        EndpointTable endpoints,
        IEnumerable<Namespace> namespaces,
        IEnumerable<NetworkPolicy> networkPolicies,
        IEnumerable<GlobalNetworkPolicy> globalPolicies,
        IEnumerable<KubernetesNetworkPolicy> kubernetesPolicies,
        PolicySnapshot? previous)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(networkPolicies);
        ArgumentNullException.ThrowIfNull(globalPolicies);
        ArgumentNullException.ThrowIfNull(kubernetesPolicies);
        // Compiled once per resource object: the agent makes a snapshot after every change, and its
        // caches hand back the same objects for the policies that did not change (recompiling 1,000
        // policies was ~10% of a change's CPU in bench/policy-enforce.sh).
        var compiled = networkPolicies.Select(p => CompiledOnce(p, static p => PolicyDefinition.From(p)))
            .Concat(globalPolicies.Select(p => CompiledOnce(p, static p => PolicyDefinition.From(p))))
            .Concat(kubernetesPolicies.Select(p => CompiledOnce(p, static p => PolicyDefinition.From(p))));
        return new PolicySnapshot(
            endpoints,
            namespaces.Select(n => new PolicyNamespace(n.Name, n.Metadata.Labels ?? NoLabels)),
            compiled,
            previous);
    }

    // Resources are immutable records: the compiled form (or the reason it is invalid) lives as long as the object.
    private static readonly ConditionalWeakTable<Resource, object> CompiledResources = new();

    private static object CompiledOnce<T>(T resource, Func<T, PolicyDefinition> definition)
        where T : Resource =>
        // Looked up first: the callback below captures, and nearly every call finds its policy.
        CompiledResources.TryGetValue(resource, out var compiled)
            ? compiled
            : CompiledResources.GetValue(resource, r => Compile(definition((T)r)));

    private static object Compile(PolicyDefinition policy)
    {
        try
        {
            return new CompiledPolicy(policy);
        }
        catch (ResourceValidationException e)
        {
            return new InvalidPolicy(policy.Id, e.Message);
        }
    }

    public PolicyEndpoint? FindEndpoint(string @namespace, string name) =>
        _endpoints.ById.GetValueOrDefault(@namespace + "/" + name);

    public PolicyEndpoint? FindEndpoint(IPAddress address) => _endpoints.ByAddress.GetValueOrDefault(address);

    /// <summary>A flow end for <paramref name="address"/>: with its endpoint when one has it.</summary>
    public FlowEnd End(IPAddress address) => new(address, FindEndpoint(address));

    /// <summary>
    /// A namespace's labels; a namespace the snapshot has no object for still carries its name
    /// label (kubernetes.io/metadata.name), which the API server gives every namespace.
    /// </summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels(string @namespace)
    {
        if (_namespaceLabels.TryGetValue(@namespace, out var labels))
        {
            return labels;
        }
        return _implicitNamespaceLabels.GetOrAdd(@namespace, static name => new Dictionary<string, string> { [Namespace.NameLabel] = name });
    }

    /// <summary>
    /// What serviceAccountSelectors see. RoutedNet keeps no ServiceAccount objects, so an account's
    /// labels are just routednet.io/name=NAME (Calico adds projectcalico.org/name the same way).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServiceAccountLabels(string? serviceAccount) =>
        serviceAccount is null ? NoLabels : new Dictionary<string, string> { ["routednet.io/name"] = serviceAccount };

    /// <summary>The policies that select <paramref name="endpoint"/> for <paramref name="direction"/>, in evaluation order.</summary>
    internal CompiledPolicy[] Selecting(PolicyEndpoint endpoint, PolicyDirection direction)
    {
        var selected = _selected.GetValue(endpoint, _select);
        return direction == PolicyDirection.Ingress ? selected.Ingress : selected.Egress;
    }

    private Selected Select(PolicyEndpoint endpoint)
    {
        var all = Policies.Where(p => p.Selects(endpoint, this)).ToList();
        return new Selected([.. all.Where(p => p.AppliesToIngress)], [.. all.Where(p => p.AppliesToEgress)]);
    }

    /// <summary>Whether two snapshots' namespaces carry the same labels (the selector sets' cache asks too).</summary>
    internal bool SameNamespacesAs(PolicySnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SameNamespaces(_namespaceLabels, other._namespaceLabels);
    }

    private static bool SameNamespaces(Dictionary<string, IReadOnlyDictionary<string, string>> a, Dictionary<string, IReadOnlyDictionary<string, string>> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (name, labels) in a)
        {
            if (!b.TryGetValue(name, out var other) || !LabelSets.Same(labels, other))
            {
                return false;
            }
        }
        return true;
    }

    private sealed record Selected(CompiledPolicy[] Ingress, CompiledPolicy[] Egress);
}
