using System.Net;

namespace RoutedNet.Datastore.Services;

/// <summary>
/// What this node announces for Services (issue 17), each prefix with every reason it is announced
/// (several Services may share a VIP: the prefix stays while any reason remains), and the
/// configured ranges it blackholes locally.
/// </summary>
public sealed record ServiceAnnouncements(
    IReadOnlyDictionary<IPNetwork, IReadOnlyList<string>> Prefixes,
    IReadOnlyList<IPNetwork> Ranges)
{
    public static ServiceAnnouncements None { get; } = new(new Dictionary<IPNetwork, IReadOnlyList<string>>(), []);

    /// <summary>
    /// Every range BGPConfiguration lists, whether or not this node announces it (an excluded node
    /// does not announce the external and load-balancer ones): no node installs a route inside
    /// them, and a route reflector passes its clients' routes inside them on.
    /// </summary>
    public IReadOnlyList<IPNetwork> Configured { get; init; } = [];
}
