using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Encoding: all capabilities in one Capabilities parameter; past 255 octets the RFC 9072 extended form.</summary>
public sealed partial class OpenMessage
{
    private protected override int GetBodyLength(in BgpCodecContext context)
    {
        var capabilities = Capabilities.GetEncodedLength();
        return capabilities == 0 ? FixedBodyLength
            : NeedsExtendedParameters(capabilities) ? FixedBodyLength + 3 + 3 + capabilities
            : FixedBodyLength + 2 + capabilities;
    }

    private protected override void WriteBody(Span<byte> destination, in BgpCodecContext context)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], MyAs);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], HoldTime);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], BgpIdentifier);
        var capabilities = Capabilities.GetEncodedLength();
        var parameters = destination[FixedBodyLength..];
        if (capabilities == 0)
        {
            destination[FixedBodyLength - 1] = 0;
        }
        else if (NeedsExtendedParameters(capabilities))
        {
            // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet total, then 2-octet parameter lengths.
            destination[FixedBodyLength - 1] = ExtendedParametersMarker;
            parameters[0] = ExtendedParametersMarker;
            BinaryPrimitives.WriteUInt16BigEndian(parameters[1..], (ushort)(3 + capabilities));
            parameters[3] = CapabilitiesParameter;
            BinaryPrimitives.WriteUInt16BigEndian(parameters[4..], (ushort)capabilities);
            Capabilities.Write(parameters[6..]);
        }
        else
        {
            destination[FixedBodyLength - 1] = (byte)(2 + capabilities);
            parameters[0] = CapabilitiesParameter;
            parameters[1] = (byte)capabilities;
            Capabilities.Write(parameters[2..]);
        }
    }

    private static bool NeedsExtendedParameters(int capabilitiesLength) => 2 + capabilitiesLength > byte.MaxValue;
}
