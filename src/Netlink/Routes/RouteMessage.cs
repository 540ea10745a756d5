using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// One RTM_NEWROUTE read in place: its fields as numbers and its addresses as spans of the
/// received datagram, valid only while the handler that was given it runs. A resync reads every
/// route of the node back, and a <see cref="Route"/> per route (with an <see cref="IPAddress"/>
/// per destination and next hop) made 1.8 KB of garbage per ECMP route each time (18 MB every
/// 30 s at 10k routes, docs/BENCHMARKS.md); a caller that only compares needs none of it.
/// <see cref="ToRoute"/> makes the object where one is wanted.
/// </summary>
public readonly ref struct RouteMessage
{
    private readonly ReadOnlySpan<byte> _multipath;
    private readonly uint _flags;
    private readonly uint _metric;
    private readonly bool _hasMetric;

    private RouteMessage(ReadOnlySpan<byte> payload, AddressFamily family, uint flags)
    {
        Family = family;
        PrefixLength = payload[1];
        Table = payload[4];
        Protocol = (RouteProtocol)payload[5];
        Scope = (RouteScope)payload[6];
        Type = (RouteType)payload[7];
        _flags = flags;
        foreach (var attribute in new AttributeReader(payload[Rtnetlink.RtMsgSize..]))
        {
            switch (attribute.Type)
            {
                case Rtnetlink.RTA_DST: Destination = Address(attribute); break;
                case Rtnetlink.RTA_GATEWAY: Gateway = Address(attribute); break;
                case Rtnetlink.RTA_OIF: LinkIndex = attribute.AsInt32(); break;
                case Rtnetlink.RTA_PRIORITY: (_metric, _hasMetric) = (attribute.AsUInt32(), true); break;
                case Rtnetlink.RTA_PREFSRC: PreferredSource = Address(attribute); break;
                case Rtnetlink.RTA_TABLE: Table = attribute.AsUInt32(); break;
                case Rtnetlink.RTA_MULTIPATH: _multipath = attribute.Value; break;
            }
        }
    }

    public AddressFamily Family { get; }

    /// <summary>The destination's address octets (4 or 16); empty for a default route (all zero).</summary>
    public ReadOnlySpan<byte> Destination { get; }

    public int PrefixLength { get; }

    public uint Table { get; }

    public RouteProtocol Protocol { get; }

    public RouteScope Scope { get; }

    public RouteType Type { get; }

    /// <summary>The single gateway's octets (RTA_GATEWAY); empty when there is none.</summary>
    public ReadOnlySpan<byte> Gateway { get; }

    public int LinkIndex { get; }

    public ReadOnlySpan<byte> PreferredSource { get; }

    public uint? Metric => _hasMetric ? _metric : null;

    public bool OnLink => (_flags & Rtnetlink.RTNH_F_ONLINK) != 0;

    /// <summary>The next hops of a multipath route (RTA_MULTIPATH); none for a single-path route.</summary>
    public NexthopReader Nexthops => new(_multipath);

    /// <summary>Reads an RTM_NEWROUTE body; false for cache clones and families other than IPv4/IPv6.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out RouteMessage route)
    {
        if (payload.Length < Rtnetlink.RtMsgSize)
        {
            throw new InvalidDataException($"rtmsg of {payload.Length} bytes");
        }
        var family = Families.FromNative(payload[0]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        if (family is not { } known || (flags & Rtnetlink.RTM_F_CLONED) != 0)
        {
            route = default;
            return false;
        }
        route = new RouteMessage(payload, known, flags);
        return true;
    }

    /// <summary>Whether the destination is <paramref name="prefix"/> (address and length).</summary>
    public bool DestinationIs(IPNetwork prefix)
    {
        Span<byte> octets = stackalloc byte[16];
        octets.Clear();
        prefix.BaseAddress.TryWriteBytes(octets, out var written);
        return prefix.PrefixLength == PrefixLength
            && prefix.BaseAddress.AddressFamily == Family
            && (Destination.IsEmpty ? !octets[..written].ContainsAnyExcept((byte)0) : Destination.SequenceEqual(octets[..written]));
    }

    /// <summary>The route as an object, for callers that keep it.</summary>
    public Route ToRoute()
    {
        var nexthops = new List<Nexthop>();
        foreach (var hop in Nexthops)
        {
            nexthops.Add(new Nexthop
            {
                Gateway = hop.Gateway.IsEmpty ? null : new IPAddress(hop.Gateway),
                LinkIndex = hop.LinkIndex,
                Weight = hop.Weight,
                OnLink = hop.OnLink,
            });
        }
        return new Route
        {
            Destination = new IPNetwork(
                Destination.IsEmpty ? (Family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any) : new IPAddress(Destination),
                PrefixLength),
            Gateway = Gateway.IsEmpty ? null : new IPAddress(Gateway),
            LinkIndex = LinkIndex,
            Table = Table,
            Protocol = Protocol,
            Scope = Scope,
            Type = Type,
            Metric = Metric,
            PreferredSource = PreferredSource.IsEmpty ? null : new IPAddress(PreferredSource),
            OnLink = OnLink,
            Nexthops = nexthops.Count == 0 ? [] : [.. nexthops],
        };
    }

    private static ReadOnlySpan<byte> Address(NetlinkAttribute attribute) =>
        attribute.Value.Length is 4 or 16 ? attribute.Value : throw new InvalidDataException($"netlink attribute {attribute.Type} has {attribute.Value.Length} bytes, 4 or 16 needed");
}

/// <summary>One next hop of a <see cref="RouteMessage"/> (struct rtnexthop and its RTA_GATEWAY), read in place.</summary>
public readonly ref struct NexthopMessage
{
    public NexthopMessage(ReadOnlySpan<byte> gateway, int linkIndex, int weight, bool onLink)
    {
        Gateway = gateway;
        LinkIndex = linkIndex;
        Weight = weight;
        OnLink = onLink;
    }

    /// <summary>The gateway's octets; empty when the next hop has none.</summary>
    public ReadOnlySpan<byte> Gateway { get; }

    public int LinkIndex { get; }

    public int Weight { get; }

    public bool OnLink { get; }
}

/// <summary>The next hops of an RTA_MULTIPATH attribute, one <see cref="NexthopMessage"/> at a time.</summary>
public ref struct NexthopReader
{
    private ReadOnlySpan<byte> _rest;

    internal NexthopReader(ReadOnlySpan<byte> multipath)
    {
        _rest = multipath;
        Current = default;
    }

    public NexthopMessage Current { get; private set; }

    public readonly NexthopReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < Rtnetlink.RtNextHopSize)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < Rtnetlink.RtNextHopSize || length > _rest.Length)
        {
            throw new InvalidDataException($"rtnexthop length {length} out of range");
        }
        ReadOnlySpan<byte> gateway = default;
        foreach (var attribute in new AttributeReader(_rest[Rtnetlink.RtNextHopSize..length]))
        {
            if (attribute.Type == Rtnetlink.RTA_GATEWAY)
            {
                gateway = attribute.Value.Length is 4 or 16 ? attribute.Value : throw new InvalidDataException($"nexthop gateway of {attribute.Value.Length} bytes");
            }
        }
        Current = new NexthopMessage(gateway, BinaryPrimitives.ReadInt32LittleEndian(_rest[4..]), _rest[3] + 1, (_rest[2] & Rtnetlink.RTNH_F_ONLINK) != 0);
        _rest = _rest[Math.Min(Alignment.Align(length), _rest.Length)..];
        return true;
    }
}
