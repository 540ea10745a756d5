using System.Net;
using RoutedNet.BgpSpeaker.Policy;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// The path attributes of a route as the RIB keeps them: decoded, 4-octet ASNs, one next hop for
/// the route's family. Immutable and compared by value, so the speaker interns them and thousands
/// of prefixes share one instance (memory per route is what matters at a million routes).
/// </summary>
public sealed record RouteAttributes
{
    public RouteOrigin Origin { get; init; }

    public AsPathSegment[] AsPath { get; init; } = [];

    public IPAddress? NextHop { get; init; }

    /// <summary>IPv6 link-local next hop sent alongside the global one (RFC 2545 §3).</summary>
    public IPAddress? LinkLocalNextHop { get; init; }

    public uint? MultiExitDisc { get; init; }

    public uint? LocalPreference { get; init; }

    public bool AtomicAggregate { get; init; }

    public uint? AggregatorAs { get; init; }

    public IPAddress? AggregatorAddress { get; init; }

    public uint[] Communities { get; init; } = [];

    public LargeCommunity[] LargeCommunities { get; init; } = [];

    /// <summary>RFC 4456 ORIGINATOR_ID: router id of the iBGP speaker that first brought the route in.</summary>
    public uint? OriginatorId { get; init; }

    /// <summary>RFC 4456 CLUSTER_LIST, nearest cluster first.</summary>
    public uint[] ClusterList { get; init; } = [];

    /// <summary>
    /// Optional transitive attributes we do not understand, each as received (flags, type, length,
    /// value); passed on with the Partial bit set (RFC 4271 §5). Non-transitive unknowns are dropped.
    /// </summary>
    public byte[][] UnknownTransitive { get; init; } = [];

    /// <summary>AS_PATH length for the decision process: a set counts 1, confederation segments 0 (RFC 4271 §9.1.2.2 a, RFC 5065 §5.3).</summary>
    public int AsPathLength
    {
        get
        {
            var length = 0;
            foreach (var segment in AsPath)
            {
                length += segment.Kind switch
                {
                    AsPathSegmentKind.AsSequence => segment.Asns.Length,
                    AsPathSegmentKind.AsSet => 1,
                    _ => 0,
                };
            }
            return length;
        }
    }

    /// <summary>The AS we heard the route from: the first AS of a leading AS_SEQUENCE; null when the path is empty (our own AS).</summary>
    public uint? NeighbourAs =>
        AsPath.Length > 0 && AsPath[0].Kind == AsPathSegmentKind.AsSequence && AsPath[0].Asns.Length > 0
            ? AsPath[0].Asns[0]
            : null;

    public bool AsPathContains(uint asn)
    {
        foreach (var segment in AsPath)
        {
            if (segment.Asns.Contains(asn))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A copy with <paramref name="asn"/> prepended to the leading AS_SEQUENCE (a new one when needed, RFC 4271 §5.1.2).</summary>
    public RouteAttributes PrependAs(uint asn)
    {
        const int MaxSegment = 255;
        if (AsPath.Length > 0 && AsPath[0].Kind == AsPathSegmentKind.AsSequence && AsPath[0].Asns.Length < MaxSegment)
        {
            var segments = (AsPathSegment[])AsPath.Clone();
            segments[0] = new AsPathSegment(AsPathSegmentKind.AsSequence, [asn, .. AsPath[0].Asns]);
            return this with { AsPath = segments };
        }
        return this with { AsPath = [new AsPathSegment(AsPathSegmentKind.AsSequence, [asn]), .. AsPath] };
    }

    public bool Equals(RouteAttributes? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Origin == other.Origin
                && Equals(NextHop, other.NextHop)
                && Equals(LinkLocalNextHop, other.LinkLocalNextHop)
                && MultiExitDisc == other.MultiExitDisc
                && LocalPreference == other.LocalPreference
                && AtomicAggregate == other.AtomicAggregate
                && AggregatorAs == other.AggregatorAs
                && Equals(AggregatorAddress, other.AggregatorAddress)
                && OriginatorId == other.OriginatorId
                && AsPath.AsSpan().SequenceEqual(other.AsPath)
                && Communities.AsSpan().SequenceEqual(other.Communities)
                && LargeCommunities.AsSpan().SequenceEqual(other.LargeCommunities)
                && ClusterList.AsSpan().SequenceEqual(other.ClusterList)
                && UnknownEqual(UnknownTransitive, other.UnknownTransitive)));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Origin);
        hash.Add(NextHop);
        hash.Add(MultiExitDisc);
        hash.Add(LocalPreference);
        hash.Add(OriginatorId);
        foreach (var segment in AsPath)
        {
            hash.Add(segment);
        }
        foreach (var community in Communities)
        {
            hash.Add(community);
        }
        hash.Add(LargeCommunities.Length);
        hash.Add(ClusterList.Length);
        hash.Add(UnknownTransitive.Length);
        return hash.ToHashCode();
    }

    private static bool UnknownEqual(byte[][] a, byte[][] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
            {
                return false;
            }
        }
        return true;
    }
}
