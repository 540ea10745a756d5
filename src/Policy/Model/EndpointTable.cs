using System.Collections.Immutable;
using System.Net;

namespace RoutedNet.Policy;

/// <summary>
/// Every endpoint of the cluster as a snapshot holds it: by id and by address, in persistent maps
/// that the agent updates change by change (a new snapshot after each change shares all but the
/// changed entries with the last one, instead of 10k-entry dictionaries made again on every
/// change: ~30% of a pod ADD's agent CPU at 10k endpoints, bench/cni-latency.sh -A -P 1000), and
/// the <see cref="EndpointChangeLog"/> saying which ids changed.
/// </summary>
public sealed record EndpointTable(
    ImmutableDictionary<string, PolicyEndpoint> ById,
    ImmutableDictionary<IPAddress, PolicyEndpoint> ByAddress,
    EndpointChangeLog Changes)
{
    /// <summary>A table of <paramref name="endpoints"/> (a later one wins an id or address), in a new lineage.</summary>
    public static EndpointTable Of(IEnumerable<PolicyEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var byId = ImmutableDictionary.CreateBuilder<string, PolicyEndpoint>(StringComparer.Ordinal);
        var byAddress = ImmutableDictionary.CreateBuilder<IPAddress, PolicyEndpoint>();
        foreach (var endpoint in endpoints)
        {
            byId[endpoint.Id] = endpoint;
        }
        foreach (var endpoint in byId.Values)
        {
            foreach (var address in endpoint.Addresses)
            {
                byAddress[address] = endpoint;
            }
        }
        return new(byId.ToImmutable(), byAddress.ToImmutable(), EndpointChangeLog.Start());
    }
}
