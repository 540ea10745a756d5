using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Writing the capability TLVs, in code order, unknown ones last as received.</summary>
public sealed partial record BgpCapabilities
{
    /// <summary>Octets of all TLVs (without any optional-parameter header).</summary>
    internal int GetEncodedLength()
    {
        var length = Multiprotocol.Length * 6;
        length += RouteRefresh ? 2 : 0;
        length += ExtendedMessage ? 2 : 0;
        length += GracefulRestart is { } gr ? 2 + 2 + (gr.Families.Length * 4) : 0;
        length += FourOctetAs.HasValue ? 6 : 0;
        length += AddPath.IsEmpty ? 0 : 2 + (AddPath.Length * 4);
        length += EnhancedRouteRefresh ? 2 : 0;
        foreach (var raw in Unknown)
        {
            length += 2 + raw.Value.Length;
        }
        return length;
    }

    internal int Write(Span<byte> destination)
    {
        var at = 0;
        foreach (var family in Multiprotocol)
        {
            var value = WriteTlvHeader(destination, ref at, CapabilityCode.Multiprotocol, 4);
            BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)family.Afi);
            value[2] = 0;
            value[3] = (byte)family.Safi;
        }
        if (RouteRefresh)
        {
            WriteTlvHeader(destination, ref at, CapabilityCode.RouteRefresh, 0);
        }
        if (ExtendedMessage)
        {
            WriteTlvHeader(destination, ref at, CapabilityCode.ExtendedMessage, 0);
        }
        if (GracefulRestart is { } gr)
        {
            var value = WriteTlvHeader(destination, ref at, CapabilityCode.GracefulRestart, 2 + (gr.Families.Length * 4));
            var flagsAndTime = (ushort)(Math.Min(gr.RestartTime, (ushort)GracefulRestartCapability.MaxRestartTime)
                | (gr.Restarting ? RestartStateFlag : 0) | (gr.NotificationSupport ? NotificationFlag : 0));
            BinaryPrimitives.WriteUInt16BigEndian(value, flagsAndTime);
            var entry = value[2..];
            foreach (var family in gr.Families)
            {
                BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)family.Family.Afi);
                entry[2] = (byte)family.Family.Safi;
                entry[3] = family.ForwardingPreserved ? ForwardingStateFlag : (byte)0;
                entry = entry[4..];
            }
        }
        if (FourOctetAs is { } asn)
        {
            BinaryPrimitives.WriteUInt32BigEndian(WriteTlvHeader(destination, ref at, CapabilityCode.FourOctetAs, 4), asn);
        }
        if (!AddPath.IsEmpty)
        {
            // One capability listing every family (RFC 7911 §4 allows one or several).
            var entry = WriteTlvHeader(destination, ref at, CapabilityCode.AddPath, AddPath.Length * 4);
            foreach (var family in AddPath)
            {
                BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)family.Family.Afi);
                entry[2] = (byte)family.Family.Safi;
                entry[3] = (byte)family.Mode;
                entry = entry[4..];
            }
        }
        if (EnhancedRouteRefresh)
        {
            WriteTlvHeader(destination, ref at, CapabilityCode.EnhancedRouteRefresh, 0);
        }
        foreach (var raw in Unknown)
        {
            raw.Value.AsSpan().CopyTo(WriteTlvHeader(destination, ref at, (CapabilityCode)raw.Code, raw.Value.Length));
        }
        return at;
    }

    private static Span<byte> WriteTlvHeader(Span<byte> destination, ref int at, CapabilityCode code, int valueLength)
    {
        destination[at] = (byte)code;
        destination[at + 1] = checked((byte)valueLength);
        var value = destination.Slice(at + 2, valueLength);
        at += 2 + valueLength;
        return value;
    }
}
