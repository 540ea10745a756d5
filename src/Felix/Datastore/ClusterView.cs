using RoutedNet.Kubernetes.Pods;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Datastore;

/// <summary>The resources the agent follows. Owned by <see cref="ClusterSyncer"/>'s loop.</summary>
public sealed class ClusterView
{
    public ResourceCache<Node> Nodes { get; } = new();

    /// <summary>Every WorkloadEndpoint; <c>InPartition(node)</c> gives a node's own, sorted by name.</summary>
    public ResourceCache<WorkloadEndpoint> WorkloadEndpoints { get; } = new(e => e.Spec.Node);

    public ResourceCache<IPAMBlock> Blocks { get; } = new();

    public ResourceCache<BGPPeer> Peers { get; } = new();

    public ResourceCache<BGPConfiguration> BgpConfigurations { get; } = new();

    public ResourceCache<BGPFilter> BgpFilters { get; } = new();

    public ResourceCache<IPPool> Pools { get; } = new();

    public ResourceCache<NetworkPolicy> NetworkPolicies { get; } = new();

    public ResourceCache<GlobalNetworkPolicy> GlobalNetworkPolicies { get; } = new();

    public ResourceCache<KubernetesNetworkPolicy> KubernetesNetworkPolicies { get; } = new();

    /// <summary>Services with their endpoints (issue 17): what the node announces beyond its blocks.</summary>
    public ResourceCache<Service> Services { get; } = new();

    /// <summary>With the kubernetes datastore: the core Services by NAMESPACE/NAME, without endpoints (null until listed).</summary>
    public Dictionary<string, Service>? KubeServices { get; set; }

    /// <summary>
    /// With the kubernetes datastore: the EndpointSlices by NAMESPACE/NAME, each read as a Service
    /// carrying only its metadata (labels) and endpoints (null until listed).
    /// </summary>
    public Dictionary<string, Service>? KubeEndpointSlices { get; set; }

    /// <summary>
    /// With the kubernetes datastore, <see cref="Services"/> is each core Service joined with the
    /// endpoints of its EndpointSlices (label kubernetes.io/service-name, same namespace), once both
    /// kinds are listed, and again after each change.
    /// </summary>
    public void DeriveServices()
    {
        if (KubeServices is null || KubeEndpointSlices is null)
        {
            return;
        }
        var endpoints = KubeEndpointSlices.Values
            .Where(s => s.Metadata.Labels?.ContainsKey(ServiceNameLabel) == true)
            .ToLookup(s => (s.Metadata.Namespace ?? "") + "/" + s.Metadata.Labels![ServiceNameLabel], s => s.Endpoints);
        Services.ReplaceAll(KubeServices.Select(s => s.Value with { Endpoints = endpoints[s.Key].SelectMany(e => e).ToList() }));
    }

    /// <summary>The label by which an EndpointSlice names its Service (discovery.k8s.io/v1).</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>routednet.io Namespaces (sqlite, etcd); with the kubernetes datastore <see cref="NamespaceLabels"/> holds the core Namespaces.</summary>
    public ResourceCache<Namespace> Namespaces { get; } = new();

    /// <summary>The pods the CNI plugin wired on this node, from its attachment records (no datastore needed).</summary>
    public IReadOnlyList<LocalAttachment> LocalAttachments { get; private set; } = [];

    public bool LocalAttachmentsListed { get; private set; }

    private Dictionary<string, PodSummary>? _pods;
    private readonly HashSet<string> _changedPods = new(StringComparer.Ordinal);

    /// <summary>With the kubernetes datastore: every Pod of the cluster, by NAMESPACE/NAME (null until listed; setting it is a relist).</summary>
    public IReadOnlyDictionary<string, PodSummary>? Pods
    {
        get => _pods;
        set
        {
            var old = _pods;
            _pods = value is null ? null : new Dictionary<string, PodSummary>(value, StringComparer.Ordinal);
            _changedPods.UnionWith(old is null ? [] : old.Keys);
            _changedPods.UnionWith(_pods is null ? [] : _pods.Keys);
        }
    }

    /// <summary>A Pod's watch event (ignored until the Pods are listed).</summary>
    public void SetPod(PodSummary pod, bool deleted)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (_pods is null)
        {
            return;
        }
        if (deleted)
        {
            _pods.Remove(pod.Key);
        }
        else
        {
            _pods[pod.Key] = pod;
        }
        _changedPods.Add(pod.Key);
    }

    /// <summary>The Pods' keys that changed since the last call (then forgotten): for one consumer, policy's endpoints.</summary>
    public IReadOnlyCollection<string> TakeChangedPods()
    {
        var changed = _changedPods.ToArray();
        _changedPods.Clear();
        return changed;
    }

    /// <summary>
    /// With the kubernetes datastore: every Namespace's labels, by name (null until listed). Set
    /// whole, or changed one namespace at a time through <see cref="SetNamespaceLabels"/>, so that
    /// <see cref="NamespaceLabelsVersion"/> moves with every change.
    /// </summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>>? NamespaceLabels
    {
        get;
        set
        {
            field = value;
            NamespaceLabelsVersion++;
        }
    }

    /// <summary>Moves at every change of <see cref="NamespaceLabels"/> (policy's inputs reuse what they made while it stays).</summary>
    public long NamespaceLabelsVersion { get; private set; }

    /// <summary>One namespace's labels changed (null: the namespace is gone); nothing before the first list.</summary>
    public void SetNamespaceLabels(string name, IReadOnlyDictionary<string, string>? labels)
    {
        if (NamespaceLabels is not { } all)
        {
            return;
        }
        if (labels is null)
        {
            all.Remove(name);
        }
        else
        {
            all[name] = labels;
        }
        NamespaceLabelsVersion++;
    }

    /// <summary>
    /// The BGP peers' keys read from Secrets (<see cref="BGPPeerSpec.PasswordSecretRef"/>), by
    /// reference; null where the datastore cannot read Secrets (sqlite, etcd).
    /// </summary>
    public IReadOnlyDictionary<SecretKeyReference, string>? PeerPasswords { get; set; }

    /// <summary>The namespace those Secrets are read from (for messages).</summary>
    public string? PeerPasswordNamespace { get; set; }

    /// <summary>
    /// The highest datastore revision seen among the kinds policy reads (WorkloadEndpoints, or Pods
    /// and Namespaces on Kubernetes, and the policy kinds): what the node enforces once the policy loop committed the state it computed
    /// from this view. 0 where revisions are not numbers.
    /// </summary>
    public long PolicyRevision { get; private set; }

    /// <summary>Records <paramref name="resourceVersion"/> of a policy-relevant kind (a list's or an event's).</summary>
    public void SeePolicyRevision(string? resourceVersion)
    {
        if (long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision) && revision > PolicyRevision)
        {
            PolicyRevision = revision;
        }
    }

    /// <summary>True once the policy kinds are listed too: before that the node's policy is unknown.</summary>
    public bool PolicyInSync => NetworkPolicies.Listed && GlobalNetworkPolicies.Listed && KubernetesNetworkPolicies.Listed && Namespaces.Listed;

    /// <summary>True once every kind and the local attachments have been listed: the agent knows everything it should.</summary>
    public bool InSync =>
        Nodes.Listed && WorkloadEndpoints.Listed && Blocks.Listed && Peers.Listed && BgpConfigurations.Listed && BgpFilters.Listed && Pools.Listed && Services.Listed && LocalAttachmentsListed;

    /// <summary>
    /// With the kubernetes datastore, the WorkloadEndpoints are derived (<see cref="PodWorkloadEndpoints"/>)
    /// once Pods, Namespaces and the local attachments are all known, and again after each change.
    /// </summary>
    public void DeriveWorkloadEndpoints(string nodeName)
    {
        if (Pods is not null && NamespaceLabels is not null && LocalAttachmentsListed)
        {
            WorkloadEndpoints.ReplaceAll(PodWorkloadEndpoints.Derive(Pods.Values, NamespaceLabels, LocalAttachments, nodeName));
        }
    }

    public void ReplaceLocalAttachments(IReadOnlyList<LocalAttachment> attachments)
    {
        LocalAttachments = attachments;
        LocalAttachmentsListed = true;
    }
}
