using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Decodes a framed message body by its header's type.</summary>
public static class BgpMessageReader
{
    /// <summary>
    /// Decodes the body of a message whose header <see cref="BgpFrameReader"/> accepted. False means
    /// reset the session with the NOTIFICATION for <paramref name="error"/>; true may still carry a
    /// lesser UPDATE error (see <see cref="UpdateMessage.TryRead"/>). Decoded messages own their data:
    /// the body buffer may be reused as soon as this returns.
    /// </summary>
    public static bool TryRead(BgpHeader header, ReadOnlySpan<byte> body, in BgpCodecContext context, [NotNullWhen(true)] out BgpMessage? message, out BgpError error)
    {
        bool ok;
        switch (header.Type)
        {
            case BgpMessageType.Open:
                ok = OpenMessage.TryRead(body, out var open, out error);
                message = open;
                break;
            case BgpMessageType.Update:
                ok = UpdateMessage.TryRead(body, context, out var update, out error);
                message = update;
                break;
            case BgpMessageType.Notification:
                ok = NotificationMessage.TryRead(body, out var notification, out error);
                message = notification;
                break;
            case BgpMessageType.Keepalive:
                ok = KeepaliveMessage.TryRead(body, out var keepalive, out error);
                message = keepalive;
                break;
            case BgpMessageType.RouteRefresh:
                ok = RouteRefreshMessage.TryRead(body, out var refresh, out error);
                message = refresh;
                break;
            default:
                error = BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageType, ErrorAction.SessionReset, (uint)header.Type, 1);
                message = null;
                return false;
        }
        return ok && message is not null;
    }

    /// <summary>
    /// As the span overload; a body split over several segments is copied into a pooled buffer first.
    /// On failure <paramref name="notification"/> is the message to send (its data copied out of the body).
    /// </summary>
    public static bool TryRead(BgpHeader header, in ReadOnlySequence<byte> body, in BgpCodecContext context, [NotNullWhen(true)] out BgpMessage? message, out BgpError error, out NotificationMessage? notification)
    {
        if (body.IsSingleSegment)
        {
            return Finish(TryRead(header, body.FirstSpan, context, out message, out error), header, body.FirstSpan, error, out notification);
        }
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = rented.AsSpan(0, length);
            body.CopyTo(span);
            return Finish(TryRead(header, span, context, out message, out error), header, span, error, out notification);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool Finish(bool ok, BgpHeader header, ReadOnlySpan<byte> body, in BgpError error, out NotificationMessage? notification)
    {
        notification = ok ? null : NotificationMessage.FromError(error, body, header);
        return ok;
    }
}
