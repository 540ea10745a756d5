using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Decoding with the checks of RFC 4271 §6.3 as revised by RFC 7606.</summary>
public sealed partial class UpdateMessage
{
    /// <summary>
    /// Decodes an UPDATE body. Returns false only when the session must be reset (<paramref name="error"/>
    /// names the NOTIFICATION). When true, <paramref name="error"/> may still hold the strongest lesser
    /// action: <see cref="ErrorAction.TreatAsWithdraw"/> (withdraw every prefix the message announces,
    /// in <see cref="Nlri"/> and <see cref="MpReach"/>, as well as those it withdraws) or
    /// <see cref="ErrorAction.AttributeDiscard"/> (the message stands without the bad attribute).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, in BgpCodecContext context, out UpdateMessage? message, out BgpError error)
    {
        message = null;
        if (body.Length < 4)
        {
            error = MalformedAttributeList();
            return false;
        }
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (body.Length < 2 + withdrawnLength + 2)
        {
            // RFC 4271 §6.3 and RFC 7606 §5.3 (first case): the lengths cannot be reconciled, nothing can be located.
            error = MalformedAttributeList();
            return false;
        }
        var attributesOffset = 2 + withdrawnLength + 2;
        int attributesLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        if (body.Length < attributesOffset + attributesLength)
        {
            error = MalformedAttributeList();
            return false;
        }
        // RFC 7606 §5.3: a prefix list that does not parse resets the session (we do not disable a family).
        var pathIds = context.ReadsPathIds(isIPv6: false);
        if (!NlriCodec.TryRead(body.Slice(2, withdrawnLength), false, pathIds, out var withdrawn, out var withdrawnIds)
            || !NlriCodec.TryRead(body[(attributesOffset + attributesLength)..], false, pathIds, out var nlri, out var nlriIds))
        {
            error = BgpError.WithoutData(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.InvalidNetworkField, ErrorAction.SessionReset);
            return false;
        }
        var reader = new PathAttributeReader(context, attributesOffset);
        if (!reader.TryRead(body.Slice(attributesOffset, attributesLength), out error))
        {
            return false;
        }
        error = error.Strongest(reader.Error);
        error = error.Strongest(CheckMandatory(reader, context, !nlri.IsEmpty, reader.MpReach is { Nlri.IsEmpty: false }));
        message = new UpdateMessage(withdrawn, reader.Build(), nlri, reader.MpReach, reader.MpUnreach, reader.Count, withdrawnIds, nlriIds);
        return true;
    }

    /// <summary>
    /// RFC 4271 §6.3 and RFC 4760 §3: announcing prefixes needs ORIGIN and AS_PATH, NEXT_HOP for prefixes
    /// in the NLRI field, LOCAL_PREF on iBGP. RFC 7606 §3 d: a missing one is treat-as-withdraw. The check
    /// looks at what was accepted, not at flags, so an UPDATE of unknown attributes alone cannot slip by
    /// (FRR CVE-2023-46753).
    /// </summary>
    private static BgpError CheckMandatory(in PathAttributeReader reader, in BgpCodecContext context, bool hasNlri, bool hasMpNlri)
    {
        if (!hasNlri && !hasMpNlri)
        {
            return default;
        }
        ReadOnlySpan<PathAttributeType> required = [PathAttributeType.Origin, PathAttributeType.AsPath, PathAttributeType.NextHop, PathAttributeType.LocalPref];
        foreach (var type in required)
        {
            var needed = type switch
            {
                PathAttributeType.NextHop => hasNlri,
                PathAttributeType.LocalPref => !context.IsExternal,
                _ => true,
            };
            if (needed && !reader.Has(type))
            {
                return BgpError.WithInlineData(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MissingWellKnownAttribute, ErrorAction.TreatAsWithdraw, (byte)type, 1, (byte)type);
            }
        }
        return default;
    }

    private static BgpError MalformedAttributeList() =>
        BgpError.WithoutData(NotificationCode.UpdateMessageError, (byte)UpdateMessageErrorSubcode.MalformedAttributeList, ErrorAction.SessionReset);
}
