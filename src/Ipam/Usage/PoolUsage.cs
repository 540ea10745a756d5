using System.Net;

namespace RoutedNet.Ipam.Usage;

/// <summary>One pool: how many addresses it has and how many are in use, with its blocks.</summary>
public sealed record PoolUsage(string Name, IPNetwork Cidr, UInt128 Total, UInt128 InUse, IReadOnlyList<BlockUsage> Blocks)
{
    public UInt128 Free => Total - InUse;
}
