using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// An optional transitive attribute we do not understand, passed on byte for byte (RFC 4271 §5:
/// its Partial bit is set on receipt, as we are now on its path without understanding it).
/// </summary>
public readonly record struct RawPathAttribute(PathAttributeFlags Flags, byte TypeCode, ImmutableArray<byte> Value)
{
    public bool Equals(RawPathAttribute other) =>
        Flags == other.Flags && TypeCode == other.TypeCode && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Flags, TypeCode, Value.Length);
}
