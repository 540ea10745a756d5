using System.Net;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// A pod on this node as policy sees it: its host veth (the enforcement point), its addresses, and
/// where it is known from. <see cref="Endpoint"/> is its WorkloadEndpoint's name (null: only the
/// CNI plugin's attachment record knows it: no labels, no namespace, so only policies selecting
/// every endpoint apply to it). <see cref="Subject"/> is the same pod as the policy model sees it.
/// </summary>
public sealed record LocalEndpoint(string HostInterface, string ContainerId, IReadOnlyList<IPAddress> Addresses, string? Endpoint)
{
    /// <summary>Whether a WorkloadEndpoint (the datastore's record, with labels) describes the pod.</summary>
    public bool FromDatastore => Endpoint is not null;

    /// <summary>The pod in the model's terms (namespace, name, labels, service account, named ports); null: no policy evaluates it.</summary>
    public PolicyEndpoint? Subject { get; init; }
}
