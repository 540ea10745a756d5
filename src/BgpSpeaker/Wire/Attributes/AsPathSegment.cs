using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>One AS_PATH segment with 4-octet ASNs (RFC 4271 §4.3); 1 to 255 ASNs on the wire.</summary>
public readonly record struct AsPathSegment(AsPathSegmentType Type, ImmutableArray<uint> Asns)
{
    /// <summary>The segment length octet caps a segment at 255 ASNs.</summary>
    public const int MaxAsns = 255;

    public bool IsConfederation => Type is AsPathSegmentType.AsConfedSequence or AsPathSegmentType.AsConfedSet;

    /// <summary>RFC 4271 §9.1.2.2 a: a sequence counts each AS, a set counts one; RFC 5065 §5.3: confederation segments count nothing.</summary>
    public int PathLength => Type switch
    {
        AsPathSegmentType.AsSequence => Asns.Length,
        AsPathSegmentType.AsSet => 1,
        _ => 0,
    };

    public bool Equals(AsPathSegment other) => Type == other.Type && Asns.AsSpan().SequenceEqual(other.Asns.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        foreach (var asn in Asns)
        {
            hash.Add(asn);
        }
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var asns = string.Join(' ', Asns);
        return Type switch
        {
            AsPathSegmentType.AsSet => $"{{{asns}}}",
            AsPathSegmentType.AsConfedSequence => $"({asns})",
            AsPathSegmentType.AsConfedSet => $"[{asns}]",
            _ => asns,
        };
    }
}
