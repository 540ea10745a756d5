using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Decoding and the checks of RFC 4271 §6.2 that need nothing but the message.</summary>
public sealed partial class OpenMessage
{
    private const byte CapabilitiesParameter = 2;

    /// <summary>RFC 9072 §2: Non-Ext OP Type 255 announces 2-octet parameter lengths.</summary>
    private const byte ExtendedParametersMarker = 255;

    private const int FixedBodyLength = 10;

    public static bool TryRead(ReadOnlySpan<byte> body, out OpenMessage? message, out BgpError error)
    {
        message = null;
        if (body.Length < FixedBodyLength)
        {
            error = BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageLength, ErrorAction.SessionReset, (uint)(BgpHeader.Size + body.Length), 2);
            return false;
        }
        var version = body[0];
        var myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        var holdTime = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        var identifier = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        if (version != BgpVersion)
        {
            // RFC 4271 §6.2: the data is the largest version we support, as 2 octets.
            error = BgpError.WithInlineData(NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.UnsupportedVersionNumber, ErrorAction.SessionReset, BgpVersion, 2);
            return false;
        }
        if (myAs == 0)
        {
            // RFC 7607 §2: AS 0 in OPEN is Bad Peer AS.
            error = OpenError(OpenMessageErrorSubcode.BadPeerAs);
            return false;
        }
        if (holdTime is 1 or 2)
        {
            error = OpenError(OpenMessageErrorSubcode.UnacceptableHoldTime);
            return false;
        }
        if (identifier == 0)
        {
            // RFC 6286 §2.1: any non-zero 4-octet value is a valid identifier.
            error = OpenError(OpenMessageErrorSubcode.BadBgpIdentifier);
            return false;
        }
        var capabilities = new BgpCapabilities.Accumulator();
        if (!TryReadParameters(body[(FixedBodyLength - 1)..], capabilities, out error))
        {
            return false;
        }
        var built = capabilities.Build();
        if (built.FourOctetAs == 0)
        {
            error = OpenError(OpenMessageErrorSubcode.BadPeerAs);
            return false;
        }
        message = new OpenMessage(myAs, holdTime, identifier, built, version);
        return true;
    }

    /// <summary>
    /// Reads Opt Parm Len and the parameters after it. Lengths that disagree with the message are a
    /// malformed OPEN (2/0), the bug class behind FRR's CVE-2022-40302/-43681: every length is checked
    /// against what is left before anything is read.
    /// </summary>
    private static bool TryReadParameters(ReadOnlySpan<byte> fromLength, BgpCapabilities.Accumulator capabilities, out BgpError error)
    {
        int declared = fromLength[0];
        var parameters = fromLength[1..];
        var lengthOctets = 1;
        if (declared != 0 && parameters.Length >= 3 && parameters[0] == ExtendedParametersMarker)
        {
            declared = BinaryPrimitives.ReadUInt16BigEndian(parameters[1..]);
            parameters = parameters[3..];
            lengthOctets = 2;
        }
        if (parameters.Length != declared)
        {
            error = OpenError(OpenMessageErrorSubcode.Unspecific);
            return false;
        }
        while (!parameters.IsEmpty)
        {
            if (parameters.Length < 1 + lengthOctets)
            {
                error = OpenError(OpenMessageErrorSubcode.Unspecific);
                return false;
            }
            var type = parameters[0];
            int length = lengthOctets == 1 ? parameters[1] : BinaryPrimitives.ReadUInt16BigEndian(parameters[1..]);
            var value = parameters[(1 + lengthOctets)..];
            if (value.Length < length)
            {
                error = OpenError(OpenMessageErrorSubcode.Unspecific);
                return false;
            }
            if (type != CapabilitiesParameter)
            {
                error = OpenError(OpenMessageErrorSubcode.UnsupportedOptionalParameter);
                return false;
            }
            if (!capabilities.TryAdd(value[..length], out error))
            {
                return false;
            }
            parameters = value[length..];
        }
        error = default;
        return true;
    }

    private static BgpError OpenError(OpenMessageErrorSubcode subcode) =>
        BgpError.WithoutData(NotificationCode.OpenMessageError, (byte)subcode, ErrorAction.SessionReset);
}
