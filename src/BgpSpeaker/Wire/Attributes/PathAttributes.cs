using System.Collections.Immutable;
using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// The path attributes of an UPDATE except MP_REACH_NLRI and MP_UNREACH_NLRI, which carry prefixes
/// and live on <see cref="UpdateMessage"/>. Immutable with value equality, so that the RIB can intern
/// one instance for every prefix that shares it. AS4_PATH and AS4_AGGREGATOR never appear here: the
/// codec folds them into <see cref="AsPath"/> and <see cref="Aggregator"/> (RFC 6793 §4.2.3).
/// Change a copy with <c>with</c>: <c>attributes with { LocalPref = 200 }</c>.
/// </summary>
public sealed record PathAttributes
{
    private int _hashCode;

    public PathAttributes()
    {
    }

    /// <summary>The copy <c>with</c> makes; it must not inherit the cached hash of the original.</summary>
    private PathAttributes(PathAttributes original)
    {
        Origin = original.Origin;
        AsPath = original.AsPath;
        NextHop = original.NextHop;
        MultiExitDisc = original.MultiExitDisc;
        LocalPref = original.LocalPref;
        AtomicAggregate = original.AtomicAggregate;
        Aggregator = original.Aggregator;
        Communities = original.Communities;
        LargeCommunities = original.LargeCommunities;
        OriginatorId = original.OriginatorId;
        ClusterList = original.ClusterList;
        Unknown = original.Unknown;
    }

    /// <summary>No attributes (a withdraw-only UPDATE).</summary>
    public static PathAttributes Empty { get; } = new();

    public Origin? Origin { get; init; }

    public AsPath? AsPath { get; init; }

    /// <summary>IPv4 NEXT_HOP (RFC 4271 §5.1.3); IPv6 next hops are in <see cref="MpReachNlri"/>.</summary>
    public IPAddress? NextHop { get; init; }

    public uint? MultiExitDisc { get; init; }

    /// <summary>LOCAL_PREF; never set from an eBGP peer (RFC 4271 §5.1.5: ignored on receipt).</summary>
    public uint? LocalPref { get; init; }

    public bool AtomicAggregate { get; init; }

    public Aggregator? Aggregator { get; init; }

    /// <summary>RFC 1997 communities, high 16 bits the AS.</summary>
    public ImmutableArray<uint> Communities { get; init; } = [];

    public ImmutableArray<LargeCommunity> LargeCommunities { get; init; } = [];

    /// <summary>RFC 4456 ORIGINATOR_ID, first address octet most significant.</summary>
    public uint? OriginatorId { get; init; }

    /// <summary>RFC 4456 CLUSTER_LIST, nearest cluster first.</summary>
    public ImmutableArray<uint> ClusterList { get; init; } = [];

    /// <summary>Optional transitive attributes we do not understand, Partial bit set, in received order.</summary>
    public ImmutableArray<RawPathAttribute> Unknown { get; init; } = [];

    public bool Equals(PathAttributes? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        return other is not null
            && GetHashCode() == other.GetHashCode()
            && Origin == other.Origin
            && Equals(AsPath, other.AsPath)
            && Equals(NextHop, other.NextHop)
            && MultiExitDisc == other.MultiExitDisc
            && LocalPref == other.LocalPref
            && AtomicAggregate == other.AtomicAggregate
            && Aggregator == other.Aggregator
            && Communities.AsSpan().SequenceEqual(other.Communities.AsSpan())
            && LargeCommunities.AsSpan().SequenceEqual(other.LargeCommunities.AsSpan())
            && OriginatorId == other.OriginatorId
            && ClusterList.AsSpan().SequenceEqual(other.ClusterList.AsSpan())
            && Unknown.AsSpan().SequenceEqual(other.Unknown.AsSpan());
    }

    /// <summary>Computed once: instances are immutable after construction.</summary>
    public override int GetHashCode()
    {
        if (_hashCode == 0)
        {
            var hash = new HashCode();
            hash.Add(Origin);
            hash.Add(AsPath);
            hash.Add(NextHop);
            hash.Add(MultiExitDisc);
            hash.Add(LocalPref);
            hash.Add(AtomicAggregate);
            hash.Add(Aggregator);
            foreach (var community in Communities)
            {
                hash.Add(community);
            }
            foreach (var community in LargeCommunities)
            {
                hash.Add(community);
            }
            hash.Add(OriginatorId);
            foreach (var id in ClusterList)
            {
                hash.Add(id);
            }
            foreach (var raw in Unknown)
            {
                hash.Add(raw);
            }
            _hashCode = hash.ToHashCode() | 1;
        }
        return _hashCode;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Origin is { } origin)
        {
            parts.Add($"origin {origin}");
        }
        if (AsPath is not null)
        {
            parts.Add($"as-path [{AsPath}]");
        }
        if (NextHop is not null)
        {
            parts.Add($"next-hop {NextHop}");
        }
        if (MultiExitDisc is { } med)
        {
            parts.Add($"med {med}");
        }
        if (LocalPref is { } localPref)
        {
            parts.Add($"local-pref {localPref}");
        }
        if (!Communities.IsEmpty)
        {
            parts.Add($"communities {string.Join(' ', Communities.Select(c => $"{c >> 16}:{c & 0xffff}"))}");
        }
        if (!LargeCommunities.IsEmpty)
        {
            parts.Add($"large-communities {string.Join(' ', LargeCommunities)}");
        }
        return string.Join(", ", parts);
    }
}
