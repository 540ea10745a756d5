using System.Net;
using System.Runtime.CompilerServices;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The policy calculation's inputs from the agent's view: every WorkloadEndpoint of the cluster as
/// the model's <see cref="PolicyEndpoint"/>, the namespaces and the policies in a
/// <see cref="PolicySnapshot"/>, and this node's pods: every WorkloadEndpoint of the node with a
/// workload host interface, and every attachment record of the CNI plugin that no
/// WorkloadEndpoint covers (pods wired without a datastore must keep passing traffic, as they did
/// before policy existed: they get their chains and map entries too). On Kubernetes the
/// WorkloadEndpoints are this node's only (derived from its Pods); the other nodes' pods are
/// subjects from their Pods' status IPs (<see cref="RemotePods"/>).
/// </summary>
public static class PolicyEndpoints
{
    public static PolicyInputs Inputs(ClusterView view, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(view);
        var subjects = new Dictionary<string, PolicyEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in view.WorkloadEndpoints.Items.Values)
        {
            subjects[endpoint.Name] = Subject(endpoint);
        }
        foreach (var (key, subject) in RemotePods(view, nodeName))
        {
            subjects[key] = subject;
        }
        var namespaces = view.Namespaces.Items.Values.ToList();
        if (view.NamespaceLabels is { } coreNamespaces)
        {
            namespaces.AddRange(coreNamespaces.Select(n => new Namespace { Metadata = new ObjectMeta { Name = n.Key, Labels = n.Value } }));
        }
        var snapshot = PolicySnapshot.Create(
            subjects.Values,
            namespaces,
            view.NetworkPolicies.Items.Values,
            view.GlobalNetworkPolicies.Items.Values,
            view.KubernetesNetworkPolicies.Items.Values);
        return new PolicyInputs(view.PolicyRevision, Local(view, nodeName, subjects)) { Snapshot = snapshot };
    }

    public static IReadOnlyList<LocalEndpoint> Local(ClusterView view, string nodeName, IReadOnlyDictionary<string, PolicyEndpoint>? subjects = null)
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
                Subject = subjects?.GetValueOrDefault(endpoint.Name) ?? Subject(endpoint),
            };
        }
        foreach (var attachment in view.LocalAttachments)
        {
            if (!endpoints.ContainsKey(attachment.HostInterface) && WorkloadEndpointSpec.IsWorkloadInterface(attachment.HostInterface))
            {
                endpoints[attachment.HostInterface] = new LocalEndpoint(attachment.HostInterface, attachment.ContainerId, attachment.Addresses.Select(a => a.BaseAddress).ToList(), null);
            }
        }
        return endpoints.Values.ToList();
    }

    // One PolicyEndpoint per WorkloadEndpoint object (resources are immutable records, and the view
    // keeps the object until it changes): the agent builds its inputs after every change, and making
    // 10k endpoints again each time was ~14% of a change's CPU (bench/policy-enforce.sh). The same
    // objects also let the selector-set cache see at once which endpoints did not change.
    private static readonly ConditionalWeakTable<WorkloadEndpoint, PolicyEndpoint> Subjects = new();
    /// <summary>With the kubernetes datastore: the pods of other nodes that hold addresses, keyed by their endpoints' "pod:" names.</summary>
    private static IEnumerable<(string Key, PolicyEndpoint Subject)> RemotePods(ClusterView view, string nodeName) =>
        (view.Pods?.Values ?? Enumerable.Empty<PodSummary>())
            .Where(p => p.NodeName != nodeName && PodEndpoints.HasOwnAddresses(p))
            .Select(p => PodEndpoints.FromStatus(p))
            .Select(e => (e.Name, Subject(e)));

    /// <summary>A WorkloadEndpoint as the model sees it: its pod's namespace and name, labels, service account, named ports.</summary>
    public static PolicyEndpoint Subject(WorkloadEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Subjects.GetValue(endpoint, NewSubject);
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
