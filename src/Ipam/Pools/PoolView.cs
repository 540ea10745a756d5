using System.Net;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ipam.Pools;

/// <summary>A pool with its CIDR parsed and its block size resolved.</summary>
internal sealed record PoolView(IPPool Pool, IPNetwork Cidr, int BlockSize)
{
    public string Name => Pool.Metadata.Name;

    public static PoolView From(IPPool pool) =>
        new(pool, IPNetwork.Parse(pool.Spec.Cidr), pool.Spec.EffectiveBlockSize());
}
