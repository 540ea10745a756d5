using System.Net;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// A pod on this node as policy sees it: its host veth (the enforcement point), its addresses, and
/// where it is known from. <see cref="Endpoint"/> is its WorkloadEndpoint's name (null: only the
/// CNI plugin's attachment record knows it: no labels, no namespace, so only policies selecting
/// every endpoint apply to it).
/// </summary>
public sealed record LocalEndpoint(string HostInterface, string ContainerId, IReadOnlyList<IPAddress> Addresses, string? Endpoint)
{
    /// <summary>Whether a WorkloadEndpoint (the datastore's record, with labels) describes the pod.</summary>
    public bool FromDatastore => Endpoint is not null;
}
