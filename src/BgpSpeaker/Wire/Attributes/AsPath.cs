using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// An AS_PATH with 4-octet ASNs: what the RIB compares and prepends to. On a session without the
/// 4-octet AS capability the codec merges AS4_PATH into it on receipt and splits it into AS_PATH
/// plus AS4_PATH on sending (RFC 6793 §4.2), so nothing above the codec sees AS_TRANS games.
/// </summary>
public sealed class AsPath : IEquatable<AsPath>
{
    private readonly int _hashCode;

    public AsPath(ImmutableArray<AsPathSegment> segments)
    {
        Segments = segments.IsDefault ? [] : segments;
        foreach (var segment in Segments)
        {
            if (segment.Asns.IsDefaultOrEmpty || segment.Asns.Length > AsPathSegment.MaxAsns)
            {
                throw new ArgumentException($"an AS_PATH segment holds 1 to {AsPathSegment.MaxAsns} ASNs", nameof(segments));
            }
        }
        var hash = new HashCode();
        foreach (var segment in Segments)
        {
            hash.Add(segment);
        }
        _hashCode = hash.ToHashCode();
    }

    /// <summary>The empty path of a route originated inside our AS.</summary>
    public static AsPath Empty { get; } = new([]);

    public ImmutableArray<AsPathSegment> Segments { get; }

    /// <summary>Length for the decision process (RFC 4271 §9.1.2.2 a, RFC 5065 §5.3).</summary>
    public int PathLength
    {
        get
        {
            var length = 0;
            foreach (var segment in Segments)
            {
                length += segment.PathLength;
            }
            return length;
        }
    }

    /// <summary>The neighbouring AS: the first ASN of a leading AS_SEQUENCE (RFC 4271 §9.1.2.2 c), else null.</summary>
    public uint? NeighborAs => !Segments.IsEmpty && Segments[0].Type == AsPathSegmentType.AsSequence ? Segments[0].Asns[0] : null;

    /// <summary>A path from plain AS_SEQUENCE ASNs, split into segments of at most 255.</summary>
    public static AsPath FromSequence(params ReadOnlySpan<uint> asns)
    {
        var segments = ImmutableArray.CreateBuilder<AsPathSegment>();
        for (var start = 0; start < asns.Length; start += AsPathSegment.MaxAsns)
        {
            var take = Math.Min(AsPathSegment.MaxAsns, asns.Length - start);
            segments.Add(new AsPathSegment(AsPathSegmentType.AsSequence, [.. asns.Slice(start, take)]));
        }
        return new AsPath(segments.ToImmutable());
    }

    /// <summary>Whether <paramref name="asn"/> appears anywhere (the eBGP loop check, RFC 4271 §9.1.2).</summary>
    public bool Contains(uint asn)
    {
        foreach (var segment in Segments)
        {
            if (segment.Asns.Contains(asn))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How often <paramref name="asn"/> appears (an AS_SET member counts once per set).</summary>
    public int Occurrences(uint asn)
    {
        var count = 0;
        foreach (var segment in Segments)
        {
            foreach (var member in segment.Asns)
            {
                if (member == asn)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /// <summary>The path with <paramref name="asn"/> in front (RFC 4271 §5.1.2), in the leading AS_SEQUENCE while it has room.</summary>
    public AsPath Prepend(uint asn)
    {
        if (!Segments.IsEmpty && Segments[0].Type == AsPathSegmentType.AsSequence && Segments[0].Asns.Length < AsPathSegment.MaxAsns)
        {
            return new AsPath(Segments.SetItem(0, Segments[0] with { Asns = Segments[0].Asns.Insert(0, asn) }));
        }
        return new AsPath(Segments.Insert(0, new AsPathSegment(AsPathSegmentType.AsSequence, [asn])));
    }

    /// <summary>True when every ASN fits in 2 octets, so no AS4_PATH is needed towards an old speaker.</summary>
    internal bool FitsTwoOctets()
    {
        foreach (var segment in Segments)
        {
            foreach (var asn in segment.Asns)
            {
                if (asn > ushort.MaxValue)
                {
                    return false;
                }
            }
        }
        return true;
    }

    public bool Equals(AsPath? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hashCode == other._hashCode && Segments.AsSpan().SequenceEqual(other.Segments.AsSpan())));

    public override bool Equals(object? obj) => Equals(obj as AsPath);

    public override int GetHashCode() => _hashCode;

    /// <summary>"65001 65002 {65003 65004}", the way BIRD and FRR print paths.</summary>
    public override string ToString() => string.Join(' ', Segments);
}
