using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>
/// Runs one input through frame reader, decoder and encoder and checks what must always hold:
/// no exception; a failure is a session reset whose NOTIFICATION can be built and sent; a success
/// re-encodes, and decoding that encoding gives the same message and an error no stronger.
/// </summary>
public static class DecoderOracle
{
    public static Outcome Check(byte[] input, in BgpCodecContext context)
    {
        try
        {
            return CheckCore(input, context);
        }
        catch (FuzzFindingException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new FuzzFindingException($"{e.GetType().Name} escaped the codec ({context})", input, e);
        }
    }

    private static Outcome CheckCore(byte[] input, BgpCodecContext context)
    {
        var status = BgpFrameReader.TryReadFrame(input, context, out var header, out var error);
        if (status == FrameStatus.NeedMoreData)
        {
            return Outcome.NeedMoreData;
        }
        // Replies may be up to 65535 octets when data copies a long attribute; check them against that bound.
        var sendContext = context with { ExtendedMessage = true };
        if (status == FrameStatus.Error)
        {
            Require(error.IsSessionReset && error.Code == NotificationCode.MessageHeaderError, "header error without a header NOTIFICATION", input);
            NotificationMessage.FromError(error, default).ToArray(sendContext);
            return Outcome.HeaderError;
        }
        var body = input.AsSpan(BgpHeader.Size, header.BodyLength);
        if (!BgpMessageReader.TryRead(header, body, context, out var message, out error))
        {
            Require(error.IsSessionReset, $"decode failed with {error}", input);
            Require(error.DataOffset < 0 || error.DataOffset + error.DataLength <= body.Length, "error data outside the body", input);
            NotificationMessage.FromError(error, body, header).ToArray(sendContext);
            return Outcome.SessionReset;
        }
        Require(!error.IsSessionReset, "decoded although the error resets the session", input);
        CheckRoundTrip(message, error, context, input);
        return error.Action switch
        {
            ErrorAction.TreatAsWithdraw => Outcome.TreatAsWithdraw,
            ErrorAction.AttributeDiscard => Outcome.AttributeDiscard,
            _ => Outcome.Clean,
        };
    }

    /// <summary>
    /// Encode, decode, encode again. With 4-octet ASNs the first encoding is already canonical. Towards an
    /// old speaker AS4_PATH drops confederation segments (RFC 6793 §6), so one more pass may be needed
    /// before the bytes settle.
    /// </summary>
    private static void CheckRoundTrip(BgpMessage message, in BgpError error, BgpCodecContext context, byte[] input)
    {
        var wide = context with { ExtendedMessage = true };
        var first = message.ToArray(wide);
        var again = Decode(first, wide, input, out var againError);
        Require(againError.Action <= error.Action, $"re-decoded error {againError} is stronger than {error}", input);
        if (context.FourOctetAs)
        {
            RequireSame(message, again, input);
            Require(first.AsSpan().SequenceEqual(again.ToArray(wide)), "encoding is not stable", input);
            return;
        }
        var second = again.ToArray(wide);
        var third = Decode(second, wide, input, out _).ToArray(wide);
        Require(second.AsSpan().SequenceEqual(third), "encoding does not settle", input);
    }

    private static BgpMessage Decode(byte[] encoded, in BgpCodecContext context, byte[] input, out BgpError error)
    {
        Require(BgpFrameReader.TryReadFrame(encoded, context, out var header, out error) == FrameStatus.Frame, $"own encoding rejected by the frame reader: {error}", input);
        Require(header.Length == encoded.Length, "own encoding has a wrong Length", input);
        return BgpMessageReader.TryRead(header, encoded.AsSpan(BgpHeader.Size), context, out var message, out error)
            ? message
            : throw new FuzzFindingException($"own encoding does not decode: {error}", input);
    }

    private static void RequireSame(BgpMessage expected, BgpMessage actual, byte[] input)
    {
        var same = (expected, actual) switch
        {
            (UpdateMessage a, UpdateMessage b) => a.Attributes == b.Attributes
                && a.Nlri.AsSpan().SequenceEqual(b.Nlri.AsSpan())
                && a.WithdrawnRoutes.AsSpan().SequenceEqual(b.WithdrawnRoutes.AsSpan())
                && a.MpReach?.Nlri.Length == b.MpReach?.Nlri.Length && Equals(a.MpReach?.NextHop, b.MpReach?.NextHop)
                && a.MpUnreach?.Withdrawn.Length == b.MpUnreach?.Withdrawn.Length
                // An UPDATE whose every attribute was dropped re-encodes as the IPv4 End-of-RIB; markers must stay markers.
                && (!a.IsEndOfRib(out var fa) || (b.IsEndOfRib(out var fb) && fa == fb)),
            (OpenMessage a, OpenMessage b) => a.Capabilities == b.Capabilities && a.Asn == b.Asn && a.HoldTime == b.HoldTime,
            _ => expected.Type == actual.Type,
        };
        Require(same, $"{expected} changed to {actual} by a round trip", input);
    }

    private static void Require(bool condition, string what, byte[] input)
    {
        if (!condition)
        {
            throw new FuzzFindingException(what, input);
        }
    }
}
