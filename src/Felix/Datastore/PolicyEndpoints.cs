using System.Net;
using System.Runtime.CompilerServices;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The policy calculation's inputs from the agent's view, made after every batch of changes: every
/// WorkloadEndpoint of the cluster as the model's <see cref="PolicyEndpoint"/> (kept change by
/// change in <see cref="PolicySubjects"/>), the namespaces and the policies in a
/// <see cref="PolicySnapshot"/>, and this node's pods: every WorkloadEndpoint of the node with a
/// workload host interface, and every attachment record of the CNI plugin that no
/// WorkloadEndpoint covers (pods wired without a datastore must keep passing traffic, as they did
/// before policy existed: they get their chains and map entries too), except a record that says a
/// WorkloadEndpoint will describe it: that pod stays closed (unknown to the table) until it does. On Kubernetes the
/// WorkloadEndpoints are this node's only (derived from its Pods); the other nodes' pods are
/// subjects from their Pods' status IPs. One per view (it consumes the view's change keys).
/// </summary>
public sealed class PolicyEndpoints(string nodeName)
{
    private readonly PolicySubjects _subjects = new(nodeName);
    private PolicySnapshot? _last;
    private PolicyKindVersions _lastVersions;

    public PolicyInputs Inputs(ClusterView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var endpoints = _subjects.Update(view);
        var versions = PolicyKindVersions.Of(view);
        var snapshot = _last is not null && versions == _lastVersions ? _last.WithEndpoints(endpoints) : Snapshot(view, endpoints);
        _last = snapshot;
        _lastVersions = versions;
        return new PolicyInputs(view.PolicyRevision, Local(view, nodeName)) { Snapshot = snapshot };
    }

    // Where the policies' and namespaces' kinds stand: while they do, a new snapshot needs only the new endpoints.
    private readonly record struct PolicyKindVersions(long NetworkPolicies, long GlobalNetworkPolicies, long KubernetesNetworkPolicies, long Namespaces, long NamespaceLabels)
    {
        public static PolicyKindVersions Of(ClusterView view) => new(
            view.NetworkPolicies.Version,
            view.GlobalNetworkPolicies.Version,
            view.KubernetesNetworkPolicies.Version,
            view.Namespaces.Version,
            view.NamespaceLabelsVersion);
    }

    private PolicySnapshot Snapshot(ClusterView view, EndpointTable endpoints)
    {
        var namespaces = view.Namespaces.Items.Values.ToList();
        if (view.NamespaceLabels is { } coreNamespaces)
        {
            namespaces.AddRange(coreNamespaces.Select(n => new Namespace { Metadata = new ObjectMeta { Name = n.Key, Labels = n.Value } }));
        }
        return PolicySnapshot.Create(
            endpoints,
            namespaces,
            view.NetworkPolicies.Items.Values,
            view.GlobalNetworkPolicies.Items.Values,
            view.KubernetesNetworkPolicies.Items.Values,
            _last);
    }

    public static IReadOnlyList<LocalEndpoint> Local(ClusterView view, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(view);
        var endpoints = new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in view.WorkloadEndpoints.InPartition(nodeName).Values)
        {
            if (!WorkloadEndpointSpec.IsWorkloadInterface(endpoint.Spec.HostInterface))
            {
                continue;
            }
            endpoints[endpoint.Spec.HostInterface!] = new LocalEndpoint(endpoint.Spec.HostInterface!, endpoint.Spec.ContainerID, Addresses(endpoint), endpoint.Name)
            {
                Subject = Subject(endpoint),
            };
        }
        foreach (var attachment in view.LocalAttachments)
        {
            if (!attachment.AwaitsEndpoint && !endpoints.ContainsKey(attachment.HostInterface) && WorkloadEndpointSpec.IsWorkloadInterface(attachment.HostInterface))
            {
                endpoints[attachment.HostInterface] = new LocalEndpoint(attachment.HostInterface, attachment.ContainerId, attachment.Addresses.Select(a => a.BaseAddress).ToList(), null);
            }
        }
        return endpoints.Values.ToList();
    }

    // One PolicyEndpoint per WorkloadEndpoint object (resources are immutable records, and the view
    // keeps the object until it changes): a node's endpoint and its subject in the snapshot are the
    // same object, so the selection cache and the selector sets see at once that it did not change.
    private static readonly ConditionalWeakTable<WorkloadEndpoint, PolicyEndpoint> Subjects = new();

    /// <summary>A WorkloadEndpoint as the model sees it: its pod's namespace and name, labels, service account, named ports.</summary>
    public static PolicyEndpoint Subject(WorkloadEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Subjects.GetValue(endpoint, NewSubject);
    }

    /// <summary>With the kubernetes datastore: another node's pod that holds addresses as the model sees it; null for any other pod.</summary>
    public static PolicyEndpoint? RemoteSubject(PodSummary pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.NodeName != nodeName && PodEndpoints.HasOwnAddresses(pod) ? NewSubject(PodEndpoints.FromStatus(pod)) : null;
    }

    private static PolicyEndpoint NewSubject(WorkloadEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        return new PolicyEndpoint(spec.Namespace, spec.Pod.Length > 0 ? spec.Pod : endpoint.Name, endpoint.Metadata.Labels, Addresses(endpoint), spec.ServiceAccount, NamedPort.From(spec.Ports), spec.Node);
    }

    private static List<IPAddress> Addresses(WorkloadEndpoint endpoint) =>
        endpoint.Spec.IPNetworks
            .Select(n => IPNetwork.TryParse(n, out var network) ? network.BaseAddress : null)
            .OfType<IPAddress>()
            .ToList();
}
