namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// A set element as the kernel holds it: the key bytes (network order for addresses and ports, each
/// concatenated field padded to 4 bytes); for a range in a concatenated interval set the last key
/// (<see cref="KeyEnd"/>); for a plain interval set, ranges are pairs of elements, the start and an
/// <see cref="IsIntervalEnd"/> element at the first key past the range; for a verdict map the verdict.
/// </summary>
public sealed record NftSetElement(byte[] Key, byte[]? KeyEnd = null, NftVerdict? Verdict = null, bool IsIntervalEnd = false)
{
    /// <summary>Key, end, interval flag and verdict as one string (records compare arrays by reference): a dictionary key.</summary>
    public string Identity() =>
        $"{Convert.ToHexString(Key)}-{Convert.ToHexString(KeyEnd ?? [])}{(IsIntervalEnd ? "e" : "")}>{Verdict}";

    /// <summary>Same key, end, verdict and flag (records compare arrays by reference).</summary>
    public bool SameAs(NftSetElement other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Key.AsSpan().SequenceEqual(other.Key)
            && (KeyEnd ?? []).AsSpan().SequenceEqual(other.KeyEnd ?? [])
            && Verdict == other.Verdict
            && IsIntervalEnd == other.IsIntervalEnd;
    }
}
