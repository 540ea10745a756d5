namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// Turns the node's endpoints and the cluster's policies into the content of `table inet
/// routednet` (pure, like DesiredStateCalculator: the same inputs always give the same table).
/// Every local endpoint gets its two chains and both map entries; an endpoint no policy selects
/// gets empty chains, i.e. it is allowed both ways, exactly as before policy existed.
/// </summary>
public static class PolicyCalculator
{
    public static PolicyPlan Compute(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var chains = new Dictionary<string, DesiredChain>(StringComparer.Ordinal);
        var sets = new Dictionary<string, DesiredSet>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in inputs.LocalEndpoints)
        {
            endpoints[endpoint.HostInterface] = endpoint;
        }
        PolicyTable.AddSkeleton(chains, sets, endpoints.Keys.Order(StringComparer.Ordinal));
        foreach (var hostInterface in endpoints.Keys)
        {
            var from = PolicyTable.FromChain(hostInterface);
            var to = PolicyTable.ToChain(hostInterface);
            chains[from] = new DesiredChain(new Netlink.Nftables.NftChain(PolicyTable.Name, from), []);
            chains[to] = new DesiredChain(new Netlink.Nftables.NftChain(PolicyTable.Name, to), []);
        }
        return new PolicyPlan(new PolicyDataplane(sets, chains), endpoints, inputs.Revision);
    }
}
