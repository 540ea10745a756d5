using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// An IPv4 or IPv6 prefix as a 24-octet value: the address in two big-endian halves (IPv4 uses the
/// top 32 bits), the length and the family. Host bits are always zero, so equal prefixes compare equal
/// however the peer padded them (RFC 4271 §4.3: trailing bits are irrelevant).
/// </summary>
public readonly struct BgpPrefix : IEquatable<BgpPrefix>, IComparable<BgpPrefix>
{
    private static readonly ulong HashSeed = (ulong)Random.Shared.NextInt64();
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly byte _length;
    private readonly bool _isIPv6;

    private BgpPrefix(ulong high, ulong low, int length, bool isIPv6)
    {
        _isIPv6 = isIPv6;
        _length = (byte)length;
        (_high, _low) = Mask(high, low, length);
    }

    /// <summary>Makes a prefix; bits past <paramref name="length"/> are cleared.</summary>
    public BgpPrefix(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        var isIPv6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (!isIPv6 && address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address));
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, isIPv6 ? 128u : 32u, nameof(length));
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        address.TryWriteBytes(bytes, out _);
        this = new BgpPrefix(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), length, isIPv6);
    }

    public bool IsIPv6 => _isIPv6;

    public int Length => _length;

    /// <summary>Bits in an address of this family: 32 or 128.</summary>
    public int MaxLength => _isIPv6 ? 128 : 32;

    public Afi Afi => _isIPv6 ? Afi.Ipv6 : Afi.Ipv4;

    /// <summary>The IPv4 address as a number (first octet most significant); 0 for IPv6.</summary>
    public uint Ipv4Address => _isIPv6 ? 0 : (uint)(_high >> 32);

    /// <summary>An IPv4 prefix from a number whose most significant octet is the first address octet.</summary>
    public static BgpPrefix FromIpv4(uint address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, 32u, nameof(length));
        return new BgpPrefix((ulong)address << 32, 0, length, false);
    }

    /// <summary>An IPv6 prefix from a 128-bit number whose most significant octet is the first address octet.</summary>
    public static BgpPrefix FromIpv6(UInt128 address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, 128u, nameof(length));
        return new BgpPrefix((ulong)(address >> 64), (ulong)address, length, true);
    }

    public static BgpPrefix FromIPNetwork(IPNetwork network) => new(network.BaseAddress, network.PrefixLength);

    /// <summary>Parses "10.244.0.0/24" or "2001:db8::/64"; host bits are cleared.</summary>
    public static BgpPrefix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not an address/length prefix");
    }

    public static bool TryParse(string? text, out BgpPrefix prefix)
    {
        prefix = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || length > (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            return false;
        }
        prefix = new BgpPrefix(address, length);
        return true;
    }

    public IPAddress GetAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteAddress(bytes);
        return new IPAddress(bytes[..(_isIPv6 ? 16 : 4)]);
    }

    public IPNetwork ToIPNetwork() => new(GetAddress(), _length);

    /// <summary>True when <paramref name="other"/> lies inside this prefix (same family, at least as long).</summary>
    public bool Contains(BgpPrefix other)
    {
        if (other._isIPv6 != _isIPv6 || other._length < _length)
        {
            return false;
        }
        var (high, low) = Mask(other._high, other._low, _length);
        return high == _high && low == _low;
    }

    /// <summary>Octets the NLRI encoding takes: one length octet and the significant address octets (RFC 4271 §4.3).</summary>
    public int EncodedLength => 1 + ((_length + 7) >> 3);

    /// <summary>Writes the NLRI encoding (length octet, then ceil(length/8) address octets); returns octets written.</summary>
    public int WriteNlri(Span<byte> destination)
    {
        var octets = (_length + 7) >> 3;
        Span<byte> address = stackalloc byte[16];
        WriteAddress(address);
        destination[0] = _length;
        address[..octets].CopyTo(destination[1..]);
        return 1 + octets;
    }

    /// <summary>
    /// Reads one NLRI entry of the given family. Returns false when the length octet exceeds the family's
    /// maximum or the entry overruns <paramref name="source"/> (RFC 4271 §6.3 Invalid Network Field).
    /// </summary>
    public static bool TryReadNlri(ReadOnlySpan<byte> source, bool isIPv6, out BgpPrefix prefix, out int bytesRead)
    {
        prefix = default;
        bytesRead = 0;
        if (source.IsEmpty)
        {
            return false;
        }
        int length = source[0];
        var octets = (length + 7) >> 3;
        if (length > (isIPv6 ? 128 : 32) || source.Length < 1 + octets)
        {
            return false;
        }
        Span<byte> address = stackalloc byte[16];
        address.Clear();
        source.Slice(1, octets).CopyTo(address);
        prefix = new BgpPrefix(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), length, isIPv6);
        bytesRead = 1 + octets;
        return true;
    }

    public bool Equals(BgpPrefix other) => _high == other._high && _low == other._low && _length == other._length && _isIPv6 == other._isIPv6;

    public override bool Equals(object? obj) => obj is BgpPrefix other && Equals(other);

    /// <summary>
    /// Neighbouring prefixes of one length get neighbouring hash codes, and runs of 4096 of them are
    /// placed by a seeded mix. A full table arrives sorted and every route is looked up in several
    /// million-entry tables on its way to the kernel: with consecutive buckets those lookups walk
    /// memory in order instead of missing the cache and the TLB each time. The seed keeps where each
    /// run lands unpredictable to peers, so a peer cannot aim prefixes at one bucket; within a run
    /// the codes are distinct.
    /// </summary>
    public override int GetHashCode()
    {
        // The prefix's network number (its significant bits, right-aligned; an IPv4 address sits
        // in the top of _high) and, for an IPv6 prefix longer than 64, the half above it. Host
        // bits are zero, so length 0 (a shift of 64, which C# makes a shift of 0) still yields 0.
        var (upper, number) = _length > 64 ? (_high, _low >> (128 - _length)) : (0UL, _high >> (64 - _length));
        return Hash(upper, number, _length, _isIPv6);
    }

    /// <summary>
    /// <see cref="GetHashCode"/> of the IPv4 prefix <paramref name="address"/>/<paramref name="length"/>
    /// (host bits zero) without making it: the compact IPv4 keys of <see cref="PrefixTable{TValue}"/>
    /// hash and shard exactly as the prefix would.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int Ipv4HashCode(uint address, int length) =>
        Hash(0, length == 0 ? 0 : address >> (32 - length), length, false);

    // Inlined: every lookup of the route tables hashes its key (a call was ~3 % of a full table's CPU).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong upper, ulong number, int length, bool isIPv6)
    {
        const int RunBits = 12;
        const ulong Golden = 0x9E3779B97F4A7C15;
        var run = (((upper ^ HashSeed) * Golden) ^ (number >> RunBits) ^ ((ulong)length << 56) ^ (isIPv6 ? 1UL << 63 : 0)) * Golden;
        // A product's top bits depend on every bit of its input: they place the run.
        return (int)((uint)(run >> (64 - 32 + RunBits)) << RunBits) | (int)(number & ((1 << RunBits) - 1));
    }

    /// <summary>IPv4 before IPv6, then by address, then shorter first.</summary>
    public int CompareTo(BgpPrefix other)
    {
        var order = _isIPv6.CompareTo(other._isIPv6);
        if (order == 0)
        {
            order = _high.CompareTo(other._high);
        }
        if (order == 0)
        {
            order = _low.CompareTo(other._low);
        }
        return order != 0 ? order : _length.CompareTo(other._length);
    }

    public static bool operator ==(BgpPrefix left, BgpPrefix right) => left.Equals(right);

    public static bool operator !=(BgpPrefix left, BgpPrefix right) => !left.Equals(right);

    public static bool operator <(BgpPrefix left, BgpPrefix right) => left.CompareTo(right) < 0;

    public static bool operator >(BgpPrefix left, BgpPrefix right) => left.CompareTo(right) > 0;

    public static bool operator <=(BgpPrefix left, BgpPrefix right) => left.CompareTo(right) <= 0;

    public static bool operator >=(BgpPrefix left, BgpPrefix right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{GetAddress()}/{_length}";

    private void WriteAddress(Span<byte> destination16)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination16, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination16[8..], _low);
    }

    private static (ulong High, ulong Low) Mask(ulong high, ulong low, int length) => length switch
    {
        0 => (0, 0),
        < 64 => (high & (ulong.MaxValue << (64 - length)), 0),
        64 => (high, 0),
        < 128 => (high, low & (ulong.MaxValue << (128 - length))),
        _ => (high, low),
    };
}
