using System.Buffers.Binary;
using System.Net;

namespace RoutedNet.RrClients;

/// <summary>
/// The few BGP messages a simulated client needs, written by hand rather than with the speaker's
/// codec: the clients are the yardstick for three different reflectors, so they must not share
/// code (or bugs) with one of them.
/// </summary>
internal static class BgpWire
{
    public const int HeaderLength = 19;
    public const byte Open = 1;
    public const byte Update = 2;
    public const byte Notification = 3;
    public const byte Keepalive = 4;

    public static byte[] KeepaliveMessage { get; } = Message(Keepalive, []);

    /// <summary>OPEN, version 4, with the multiprotocol (IPv4 unicast) and 4-octet AS capabilities.</summary>
    public static byte[] OpenMessage(uint asn, uint routerId, ushort holdTime)
    {
        var body = new byte[10 + 16];
        body[0] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(1), asn > ushort.MaxValue ? (ushort)23456 : (ushort)asn);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(3), holdTime);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(5), routerId);
        body[9] = 16;   // optional parameters: two capability parameters of 8 bytes
        ReadOnlySpan<byte> mp = [2, 6, 1, 4, 0, 1, 0, 1];
        mp.CopyTo(body.AsSpan(10));
        ReadOnlySpan<byte> as4 = [2, 6, 65, 4];
        as4.CopyTo(body.AsSpan(18));
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(22), asn);
        return Message(Open, body);
    }

    /// <summary>An iBGP UPDATE announcing one IPv4 prefix: ORIGIN IGP, empty AS_PATH, NEXT_HOP, LOCAL_PREF 100.</summary>
    public static byte[] Announce(uint prefix, int length, IPAddress nextHop)
    {
        var nlri = Nlri(prefix, length);
        ReadOnlySpan<byte> origin = [0x40, 1, 1, 0];
        ReadOnlySpan<byte> asPath = [0x40, 2, 0];
        var attributes = new byte[origin.Length + asPath.Length + 7 + 7];
        origin.CopyTo(attributes);
        asPath.CopyTo(attributes.AsSpan(origin.Length));
        var at = origin.Length + asPath.Length;
        attributes[at] = 0x40;
        attributes[at + 1] = 3;
        attributes[at + 2] = 4;
        nextHop.GetAddressBytes().CopyTo(attributes, at + 3);
        at += 7;
        attributes[at] = 0x40;
        attributes[at + 1] = 5;
        attributes[at + 2] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(attributes.AsSpan(at + 3), 100);
        var body = new byte[2 + 2 + attributes.Length + nlri.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)attributes.Length);
        attributes.CopyTo(body, 4);
        nlri.CopyTo(body, 4 + attributes.Length);
        return Message(Update, body);
    }

    public static byte[] Withdraw(uint prefix, int length)
    {
        var nlri = Nlri(prefix, length);
        var body = new byte[2 + nlri.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)nlri.Length);
        nlri.CopyTo(body, 2);
        return Message(Update, body);
    }

    /// <summary>Calls <paramref name="onPrefix"/> for each withdrawn (false) and announced (true) IPv4 prefix of an UPDATE body.</summary>
    public static bool ReadUpdate(ReadOnlySpan<byte> body, PrefixVisitor onPrefix)
    {
        if (body.Length < 4)
        {
            return false;
        }
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (2 + withdrawnLength + 2 > body.Length)
        {
            return false;
        }
        if (!ReadPrefixes(body.Slice(2, withdrawnLength), onPrefix, announced: false))
        {
            return false;
        }
        int attributesLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        var nlriStart = 2 + withdrawnLength + 2 + attributesLength;
        return nlriStart <= body.Length && ReadPrefixes(body[nlriStart..], onPrefix, announced: true);
    }

    public delegate void PrefixVisitor(uint prefix, int length, bool announced);

    private static bool ReadPrefixes(ReadOnlySpan<byte> data, PrefixVisitor onPrefix, bool announced)
    {
        while (data.Length > 0)
        {
            int length = data[0];
            var bytes = (length + 7) / 8;
            if (length > 32 || 1 + bytes > data.Length)
            {
                return false;
            }
            uint prefix = 0;
            for (var i = 0; i < bytes; i++)
            {
                prefix |= (uint)data[1 + i] << (24 - (8 * i));
            }
            onPrefix(prefix, length, announced);
            data = data[(1 + bytes)..];
        }
        return true;
    }

    private static byte[] Nlri(uint prefix, int length)
    {
        var bytes = (length + 7) / 8;
        var nlri = new byte[1 + bytes];
        nlri[0] = (byte)length;
        for (var i = 0; i < bytes; i++)
        {
            nlri[1 + i] = (byte)(prefix >> (24 - (8 * i)));
        }
        return nlri;
    }

    private static byte[] Message(byte type, ReadOnlySpan<byte> body)
    {
        var message = new byte[HeaderLength + body.Length];
        message.AsSpan(0, 16).Fill(0xff);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(16), (ushort)message.Length);
        message[18] = type;
        body.CopyTo(message.AsSpan(HeaderLength));
        return message;
    }
}
