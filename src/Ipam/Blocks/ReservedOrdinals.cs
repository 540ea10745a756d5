using System.Net;
using RoutedNet.Ipam.Addressing;

namespace RoutedNet.Ipam.Blocks;

/// <summary>The ordinal ranges of one block that fall in reserved ranges: never handed out.</summary>
internal readonly struct ReservedOrdinals
{
    private readonly (int First, int Last)[]? _ranges;

    private ReservedOrdinals((int First, int Last)[] ranges) => _ranges = ranges;

    public static ReservedOrdinals For(IPNetwork block, IReadOnlyList<IPNetwork> reserved)
    {
        if (reserved.Count == 0)
        {
            return default;
        }
        var family = block.BaseAddress.AddressFamily;
        var blockStart = IpMath.ToInteger(block.BaseAddress);
        var blockLast = blockStart + IpMath.Size(family, block.PrefixLength) - 1;
        var ranges = new List<(int, int)>();
        foreach (var r in reserved)
        {
            if (!IpMath.Overlaps(block, r))
            {
                continue;
            }
            var start = IpMath.ToInteger(r.BaseAddress);
            var last = start + (IpMath.Size(family, r.PrefixLength) - 1);
            var first = UInt128.Max(start, blockStart) - blockStart;
            var end = UInt128.Min(last, blockLast) - blockStart;
            ranges.Add(((int)first, (int)end));
        }
        return ranges.Count == 0 ? default : new ReservedOrdinals([.. ranges]);
    }

    public bool Contains(int ordinal)
    {
        if (_ranges is null)
        {
            return false;
        }
        foreach (var (first, last) in _ranges)
        {
            if (ordinal >= first && ordinal <= last)
            {
                return true;
            }
        }
        return false;
    }
}
