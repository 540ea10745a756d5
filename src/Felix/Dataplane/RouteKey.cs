using System.Buffers.Binary;
using System.Net;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// A destination prefix as the key of the agent's route tables, which hold up to a full BGP table.
/// The address is inline: an <see cref="IPNetwork"/> key points at an IPAddress object, which costs
/// one more cache miss per lookup and, held by the tables, a million long-lived objects for the GC to
/// trace. Converted at the table's edges; never shown to users.
/// </summary>
public readonly struct RouteKey : IEquatable<RouteKey>
{
    private const int IPv6Flag = 0x100;

    private readonly ulong _high;
    private readonly ulong _low;
    private readonly int _lengthAndFamily;

    private RouteKey(ulong high, ulong low, int lengthAndFamily)
    {
        _high = high;
        _low = low;
        _lengthAndFamily = lengthAndFamily;
    }

    public static RouteKey From(IPNetwork network)
    {
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var written);
        return written == 4
            ? new RouteKey(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), network.PrefixLength)
            : new RouteKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), network.PrefixLength | IPv6Flag);
    }

    public IPNetwork ToNetwork()
    {
        var length = _lengthAndFamily & 0xff;
        if ((_lengthAndFamily & IPv6Flag) == 0)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)_low);
            return new IPNetwork(new IPAddress(v4), length);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, _high);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], _low);
        return new IPNetwork(new IPAddress(v6), length);
    }

    public bool Equals(RouteKey other) => _low == other._low && _high == other._high && _lengthAndFamily == other._lengthAndFamily;

    public override bool Equals(object? obj) => obj is RouteKey other && Equals(other);

    // Multiply-mix so that consecutive /32s (which differ in the low bits only) spread over the buckets.
    public override int GetHashCode()
    {
        var hash = (_low * 0x9E3779B97F4A7C15UL) ^ (_high * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)_lengthAndFamily;
        return (int)(hash ^ (hash >> 32));
    }

    public override string ToString() => ToNetwork().ToString();

    public static bool operator ==(RouteKey left, RouteKey right) => left.Equals(right);

    public static bool operator !=(RouteKey left, RouteKey right) => !left.Equals(right);
}
