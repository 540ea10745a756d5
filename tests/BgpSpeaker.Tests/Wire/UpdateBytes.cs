using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>Builds UPDATE bodies around hand-written attribute bytes, filling in the two length fields.</summary>
internal static class UpdateBytes
{
    /// <summary>ORIGIN IGP: flags 0x40 (well-known transitive), type 1, length 1, value 0.</summary>
    public const string OriginIgp = "40 01 01 00";

    /// <summary>AS_PATH with 4-octet ASNs: flags 0x40, type 2, length 6, AS_SEQUENCE (2) of 1 ASN, 65001.</summary>
    public const string AsPath4 = "40 02 06 02 01 0000fde9";

    /// <summary>AS_PATH with 2-octet ASNs: flags 0x40, type 2, length 4, AS_SEQUENCE of 1 ASN, 65001.</summary>
    public const string AsPath2 = "40 02 04 02 01 fde9";

    /// <summary>NEXT_HOP 172.18.0.2: flags 0x40, type 3, length 4.</summary>
    public const string NextHop = "40 03 04 ac120002";

    /// <summary>LOCAL_PREF 100: flags 0x40, type 5, length 4.</summary>
    public const string LocalPref = "40 05 04 00000064";

    /// <summary>NLRI 10.244.1.0/24: length 24, three address octets.</summary>
    public const string Nlri = "18 0af401";

    /// <summary>Withdrawn Routes Length, Withdrawn Routes, Total Path Attribute Length, Path Attributes, NLRI (RFC 4271 §4.3).</summary>
    public static byte[] Body(string attributes, string nlri = Nlri, string withdrawn = "")
    {
        var w = Hex.Bytes(withdrawn);
        var a = Hex.Bytes(attributes);
        var n = Hex.Bytes(nlri);
        var body = new byte[2 + w.Length + 2 + a.Length + n.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)w.Length);
        w.CopyTo(body, 2);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2 + w.Length), (ushort)a.Length);
        a.CopyTo(body, 4 + w.Length);
        n.CopyTo(body, 4 + w.Length + a.Length);
        return body;
    }
}
