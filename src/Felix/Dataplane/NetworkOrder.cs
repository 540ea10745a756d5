using System.Net;

namespace RoutedNet.Felix.Dataplane;

/// <summary>Orders prefixes IPv4 first, then by address and length, for stable output.</summary>
public sealed class NetworkOrder : IComparer<IPNetwork>
{
    public static readonly NetworkOrder Instance = new();

    public int Compare(IPNetwork x, IPNetwork y)
    {
        var a = x.BaseAddress.GetAddressBytes();
        var b = y.BaseAddress.GetAddressBytes();
        var byFamily = a.Length.CompareTo(b.Length);
        if (byFamily != 0)
        {
            return byFamily;
        }
        var byAddress = a.AsSpan().SequenceCompareTo(b);
        return byAddress != 0 ? byAddress : x.PrefixLength.CompareTo(y.PrefixLength);
    }
}
