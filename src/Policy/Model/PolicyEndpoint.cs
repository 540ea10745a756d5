using System.Net;

namespace RoutedNet.Policy;

/// <summary>
/// One workload endpoint as policy sees it: its pod's namespace and name, labels, service account,
/// addresses and named ports. Policies select on <see cref="SelectorLabels"/>: the pod's labels plus
/// routednet.io/namespace, routednet.io/serviceaccount and routednet.io/orchestrator (Calico adds
/// the same under projectcalico.org/).
/// </summary>
public sealed class PolicyEndpoint
{
    public const string NamespaceLabel = "routednet.io/namespace";
    public const string ServiceAccountLabel = "routednet.io/serviceaccount";
    public const string OrchestratorLabel = "routednet.io/orchestrator";

    /// <summary>The orchestrator label's value: Calico writes "k8s" for pods, and RoutedNet's endpoints are pods.</summary>
    public const string Orchestrator = "k8s";

    public PolicyEndpoint(
        string @namespace,
        string name,
        IReadOnlyDictionary<string, string>? labels,
        IReadOnlyList<IPAddress> addresses,
        string? serviceAccount = null,
        IReadOnlyList<NamedPort>? ports = null,
        string? node = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        Namespace = @namespace;
        Name = name;
        Labels = labels ?? new Dictionary<string, string>();
        Addresses = addresses ?? [];
        ServiceAccount = serviceAccount;
        Ports = ports ?? [];
        Node = node;
        var all = new Dictionary<string, string>(Labels, StringComparer.Ordinal)
        {
            [NamespaceLabel] = @namespace,
            [OrchestratorLabel] = Orchestrator,
        };
        if (!string.IsNullOrEmpty(serviceAccount))
        {
            all[ServiceAccountLabel] = serviceAccount;
        }
        SelectorLabels = all;
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>"NAMESPACE/NAME" (made once: snapshots key every endpoint by it after each change).</summary>
    public string Id => field ??= Namespace + "/" + Name;

    /// <summary>The pod's own labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>What selectors see: <see cref="Labels"/> plus the routednet.io/ ones.</summary>
    public IReadOnlyDictionary<string, string> SelectorLabels { get; }

    public string? ServiceAccount { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public IReadOnlyList<NamedPort> Ports { get; }

    public string? Node { get; }

    public override string ToString() => Id;
}
