namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.2.2 (g): lowest peer address, the last tie-breaker.</summary>
internal sealed class PeerAddressStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.PeerAddress;

    public int Compare(RoutePath a, RoutePath b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.Source.PeerAddress.TryWriteBytes(x, out var lengthA);
        b.Source.PeerAddress.TryWriteBytes(y, out var lengthB);
        return lengthA != lengthB ? lengthA.CompareTo(lengthB) : x[..lengthA].SequenceCompareTo(y[..lengthB]);
    }
}
