using System.Net;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Datastore;

/// <summary>Why this node originates each prefix of <see cref="DesiredState.Advertisements"/>: what `bgp advertised` shows.</summary>
public static class AdvertisementReasons
{
    public const string Block = "IPAM block affine to this node (blackholed here)";
    public const string Borrowed = "pod address on this node outside its blocks";

    public static IReadOnlyList<AdvertisedPrefix> Of(DesiredState state)
    {
        var blackholes = state.AllBlackholes();
        return state.Advertisements
            .Order(NetworkOrder.Instance)
            .Select(prefix => new AdvertisedPrefix(prefix, Reasons(state, prefix), blackholes.ContainsKey(prefix)))
            .ToList();
    }

    private static List<string> Reasons(DesiredState state, IPNetwork prefix)
    {
        var reasons = new List<string>();
        if (state.Blackholes.ContainsKey(prefix))
        {
            reasons.Add(Block);
        }
        else if (state.WorkloadRoutes.ContainsKey(prefix))
        {
            reasons.Add(Borrowed);
        }
        reasons.AddRange(state.Services.Prefixes.GetValueOrDefault(prefix) ?? []);
        return reasons;
    }
}
