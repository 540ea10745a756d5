using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Codec;

/// <summary>The session's few calls into the wire codec: framing, OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH.</summary>
internal static class SessionCodec
{
    private static readonly byte[] KeepaliveBytes = KeepaliveMessage.Instance.ToArray(BgpCodecContext.Initial);

    public const int HeaderLength = BgpHeader.Size;

    /// <summary>Checks marker, length bounds and type before the body is awaited (RFC 4271 §6.1).</summary>
    public static bool TryCheckHeader(ReadOnlySpan<byte> header, int maxLength, out BgpMessageType type, out int length, out BgpNotification? error)
    {
        var context = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: maxLength > BgpCodecContext.StandardMaxMessageLength, IsExternal: true);
        if (BgpFrameReader.TryReadHeader(header, context, out var parsed, out var problem) != FrameStatus.Frame)
        {
            type = default;
            length = 0;
            error = FromError(problem, header);
            return false;
        }
        type = parsed.Type;
        length = parsed.Length;
        error = null;
        return true;
    }

    public static BgpNotification FromError(in BgpError error, ReadOnlySpan<byte> decoded) =>
        new(error.Code, error.Subcode, error.GetData(decoded));

    public static byte[] Keepalive() => KeepaliveBytes;

    public static byte[] Open(OpenMessage open) => open.ToArray(BgpCodecContext.Initial);

    public static byte[] Notification(BgpNotification notification) =>
        new NotificationMessage(notification.Code, notification.Subcode, [.. notification.Data])
            .ToArray(new BgpCodecContext(true, ExtendedMessage: true, IsExternal: true));

    public static byte[] RouteRefresh(RouteFamily family) =>
        new RouteRefreshMessage(family.ToAfiSafi()).ToArray(BgpCodecContext.Initial);

    public static bool TryReadOpen(ReadOnlySpan<byte> body, out OpenMessage? open, out BgpNotification? error)
    {
        if (OpenMessage.TryRead(body, out open, out var problem))
        {
            error = null;
            return true;
        }
        error = FromError(problem, body);
        return false;
    }

    public static BgpNotification ReadNotification(ReadOnlySpan<byte> body) =>
        NotificationMessage.TryRead(body, out var message, out _)
            ? new BgpNotification(message!.Code, message.Subcode, [.. message.Data])
            : new BgpNotification(NotificationCode.None, 0);

    /// <summary>
    /// A ROUTE-REFRESH whose body is not 4 octets is an error (RFC 7313 §5: ROUTE-REFRESH Message
    /// Error/Invalid Message Length). A well-formed one asks for <paramref name="family"/>, which is
    /// null for a family we do not know or a subtype other than a plain request: ignore those
    /// (RFC 2918 §4, RFC 7313 §5; we negotiate no enhanced route refresh).
    /// </summary>
    public static bool TryReadRouteRefresh(ReadOnlySpan<byte> body, out RouteFamily? family, out BgpNotification? error)
    {
        family = null;
        if (!RouteRefreshMessage.TryRead(body, out var message, out var problem))
        {
            error = FromError(problem, body);
            return false;
        }
        error = null;
        if (message!.Subtype == RouteRefreshSubtype.Normal)
        {
            family = message.Family.ToRouteFamily();
        }
        return true;
    }
}
