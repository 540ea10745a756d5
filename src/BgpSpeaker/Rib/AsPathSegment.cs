namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>One AS_PATH segment as the RIB keeps it: always 4-octet ASNs (RFC 6793 merges AS4_PATH before this).</summary>
public readonly record struct AsPathSegment(AsPathSegmentKind Kind, uint[] Asns)
{
    public bool Equals(AsPathSegment other) => Kind == other.Kind && Asns.AsSpan().SequenceEqual(other.Asns);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        foreach (var asn in Asns)
        {
            hash.Add(asn);
        }
        return hash.ToHashCode();
    }
}
