using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>A capability we do not interpret, kept as received (RFC 5492 §3: unknown capabilities are ignored, not refused).</summary>
public readonly record struct RawCapability(byte Code, ImmutableArray<byte> Value)
{
    public bool Equals(RawCapability other) => Code == other.Code && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Code, Value.Length);
}
