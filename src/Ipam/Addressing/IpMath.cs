using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Ipam.Addressing;

/// <summary>
/// Addresses as 128-bit integers so that one code path serves IPv4 and IPv6: ordinals within a
/// block, block n of a pool. No allocation beyond the returned <see cref="IPAddress"/>.
/// </summary>
internal static class IpMath
{
    public static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 ToInteger(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromInteger(UInt128 value, AddressFamily family)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (family == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
            return new IPAddress(bytes[..4]);
        }
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>How many addresses a prefix of this length holds (saturates at UInt128.MaxValue for ::/0).</summary>
    public static UInt128 Size(AddressFamily family, int prefixLength)
    {
        var hostBits = Bits(family) - prefixLength;
        return hostBits >= 128 ? UInt128.MaxValue : UInt128.One << hostBits;
    }

    /// <summary>The index of <paramref name="address"/> inside <paramref name="network"/>; the caller has checked containment.</summary>
    public static int Ordinal(IPNetwork network, IPAddress address) =>
        (int)(ToInteger(address) - ToInteger(network.BaseAddress));

    public static IPAddress AddressAt(IPNetwork network, int ordinal) =>
        FromInteger(ToInteger(network.BaseAddress) + (UInt128)ordinal, network.BaseAddress.AddressFamily);

    /// <summary>The prefix of length <paramref name="prefixLength"/> that contains <paramref name="address"/>.</summary>
    public static IPNetwork Enclosing(IPAddress address, int prefixLength)
    {
        var family = address.AddressFamily;
        var hostBits = Bits(family) - prefixLength;
        var mask = hostBits >= 128 ? UInt128.Zero : ~((UInt128.One << hostBits) - 1);
        return new IPNetwork(FromInteger(ToInteger(address) & mask, family), prefixLength);
    }

    /// <summary>Block number <paramref name="index"/> of size <paramref name="blockSize"/> inside <paramref name="pool"/>.</summary>
    public static IPNetwork BlockAt(IPNetwork pool, int blockSize, UInt128 index)
    {
        var family = pool.BaseAddress.AddressFamily;
        var start = ToInteger(pool.BaseAddress) + (index << (Bits(family) - blockSize));
        return new IPNetwork(FromInteger(start, family), blockSize);
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily
        && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>True when <paramref name="inner"/> lies entirely inside <paramref name="outer"/>.</summary>
    public static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
