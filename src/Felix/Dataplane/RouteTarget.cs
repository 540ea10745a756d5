using System.Net;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// Where a route sends packets: a device (`dev X scope link`, pod routes), gateways (`via A [via B]`,
/// BGP routes, several for ECMP) or nowhere (`blackhole`, our own blocks). Value equality, with
/// gateways in a canonical order, is what "in sync" means for the route table (which numbers
/// equal targets alike, see TargetNumbers).
/// </summary>
public sealed class RouteTarget : IEquatable<RouteTarget>
{
    private RouteTarget(RouteType type, string? device, IPAddress[] gateways)
    {
        Type = type;
        Device = device;
        Gateways = gateways;
    }

    public RouteType Type { get; }

    /// <summary>The output interface of a device route; null for gateway and blackhole routes.</summary>
    public string? Device { get; }

    /// <summary>Next hops, sorted; empty for device and blackhole routes.</summary>
    public IReadOnlyList<IPAddress> Gateways { get; }

    public static RouteTarget Blackhole { get; } = new(RouteType.Blackhole, null, []);

    /// <summary>`dev <paramref name="device"/> scope link`.</summary>
    public static RouteTarget ToDevice(string device) => new(RouteType.Unicast, device, []);

    /// <summary>`via A [nexthop via B ...]`; the kernel picks the device.</summary>
    public static RouteTarget Via(IEnumerable<IPAddress> gateways)
    {
        var sorted = gateways.Distinct().Order(AddressOrder.Instance).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("a gateway route needs at least one next hop", nameof(gateways));
        }
        return new(RouteType.Unicast, null, sorted);
    }

    /// <summary>A route of another owner, kept only to be reported.</summary>
    public static RouteTarget Foreign(RouteType type, string? device, IEnumerable<IPAddress> gateways) =>
        new(type, device, gateways.Order(AddressOrder.Instance).ToArray());

    public bool Equals(RouteTarget? other) =>
        other is not null
        && Type == other.Type
        && string.Equals(Device, other.Device, StringComparison.Ordinal)
        && Gateways.SequenceEqual(other.Gateways);

    public override bool Equals(object? obj) => Equals(obj as RouteTarget);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(Device, StringComparer.Ordinal);
        foreach (var gateway in Gateways)
        {
            hash.Add(gateway);
        }
        return hash.ToHashCode();
    }

    /// <summary>In `ip route` words, for logs and reports.</summary>
    public override string ToString() => Type switch
    {
        RouteType.Blackhole => "blackhole",
        _ when Gateways.Count > 0 => string.Join(' ', Gateways.Select(g => $"via {g}")) + (Device is null ? "" : $" dev {Device}"),
        _ when Device is not null => $"dev {Device}",
        _ => Type.ToString().ToLowerInvariant(),
    };

    private sealed class AddressOrder : IComparer<IPAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            var a = x!.GetAddressBytes();
            var b = y!.GetAddressBytes();
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
        }
    }
}
