using System.Net;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Workloads;

/// <summary>
/// The WorkloadEndpoints of this node on the kubernetes datastore: derived, never stored (the CNI
/// path writes nothing per pod to the API server but IPAM). A WorkloadEndpoint is a Pod of this
/// node joined with the plugin's attachment record of it: the record says what is wired (veth,
/// container, interface, addresses: what the routes follow), the Pod and its Namespace say who it
/// is (labels, namespace labels, service account, named ports: what policy selects on). The join is by the veth name, which
/// the plugin derives from "namespace/pod" (<see cref="HostVethName"/>); a record named from the
/// container id (a runtime that passed no K8S_POD_NAME) is matched through the Pod's status IPs,
/// which kubelet copies from the plugin's result. A Pod without a record is not wired (yet) and
/// has no endpoint; a record without a Pod keeps its routes (from the record) but no endpoint.
/// </summary>
public static class PodWorkloadEndpoints
{
    /// <summary>The label kube-apiserver puts on every Namespace (since 1.22); added when missing so selectors on it always work.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static List<WorkloadEndpoint> Derive(
        IEnumerable<PodSummary> pods,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels,
        IReadOnlyList<LocalAttachment> attachments,
        string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(namespaceLabels);
        ArgumentNullException.ThrowIfNull(attachments);
        var byVeth = new Dictionary<string, LocalAttachment>(StringComparer.Ordinal);
        foreach (var attachment in attachments)
        {
            byVeth.TryAdd(attachment.HostInterface, attachment);
        }
        var ifNames = attachments.Select(a => a.IfName).Distinct(StringComparer.Ordinal).ToList();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var endpoints = new List<WorkloadEndpoint>();
        // Ordered so that two pods claiming one record (only through stale status IPs) resolve the same way every time.
        foreach (var pod in pods.Where(p => p.NodeName == nodeName && !p.HostNetwork).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var namespaceLabelsOfPod = NamespaceLabels(pod.Namespace, namespaceLabels.GetValueOrDefault(pod.Namespace));
            foreach (var attachment in AttachmentsOf(pod, byVeth, ifNames, attachments))
            {
                if (claimed.Add(attachment.HostInterface))
                {
                    endpoints.Add(Endpoint(pod, namespaceLabelsOfPod, attachment, nodeName));
                }
            }
        }
        return endpoints;
    }

    private static IEnumerable<LocalAttachment> AttachmentsOf(
        PodSummary pod, Dictionary<string, LocalAttachment> byVeth, List<string> ifNames, IReadOnlyList<LocalAttachment> attachments)
    {
        var found = false;
        foreach (var ifName in ifNames)
        {
            if (byVeth.TryGetValue(HostVethName.For(pod.Namespace, pod.Name, "", ifName), out var attachment) && attachment.IfName == ifName)
            {
                found = true;
                yield return attachment;
            }
        }
        if (found || pod.PodIPs.Count == 0)
        {
            yield break;
        }
        var podIPs = pod.PodIPs.Select(ip => IPAddress.TryParse(ip, out var parsed) ? parsed : null).OfType<IPAddress>().ToHashSet();
        foreach (var attachment in attachments)
        {
            if (attachment.Addresses.Any(a => podIPs.Contains(a.BaseAddress)))
            {
                yield return attachment;
            }
        }
    }

    private static WorkloadEndpoint Endpoint(PodSummary pod, IReadOnlyDictionary<string, string> namespaceLabels, LocalAttachment attachment, string nodeName) => new()
    {
        // Named like the plugin's IPAM handle (and the WorkloadEndpoint it stores on the other datastores): NETWORK.CONTAINERID.IFNAME.
        Metadata = new ObjectMeta
        {
            Name = $"{attachment.Network}.{attachment.ContainerId}.{attachment.IfName}",
            Labels = pod.Labels,
        },
        Spec = new WorkloadEndpointSpec
        {
            Pod = pod.Name,
            Namespace = pod.Namespace,
            ContainerID = attachment.ContainerId,
            Interface = attachment.IfName,
            HostInterface = attachment.HostInterface,
            IPNetworks = attachment.Addresses.Select(a => a.ToString()).ToArray(),
            Node = nodeName,
            Network = attachment.Network,
            NamespaceLabels = namespaceLabels,
            ServiceAccount = pod.ServiceAccount,
            Ports = pod.Ports,
        },
    };

    private static IReadOnlyDictionary<string, string> NamespaceLabels(string name, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is not null && labels.ContainsKey(NamespaceNameLabel))
        {
            return labels;
        }
        var withName = labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);
        withName[NamespaceNameLabel] = name;
        return withName;
    }
}
