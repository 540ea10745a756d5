namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// One step of <see cref="BgpMessageStream"/>: a message (possibly with a lesser UPDATE error), a
/// fatal error with the NOTIFICATION to send, or the end of the stream.
/// </summary>
public readonly struct BgpReadResult
{
    private BgpReadResult(BgpMessage? message, BgpError error, NotificationMessage? notification, bool isEndOfStream)
    {
        Message = message;
        Error = error;
        Notification = notification;
        IsEndOfStream = isEndOfStream;
    }

    /// <summary>The decoded message; null when the session must be reset or the stream ended.</summary>
    public BgpMessage? Message { get; }

    /// <summary>None, a lesser UPDATE error (treat-as-withdraw, attribute discard), or the fatal error.</summary>
    public BgpError Error { get; }

    /// <summary>Set when the session must be reset: send this, then close.</summary>
    public NotificationMessage? Notification { get; }

    /// <summary>The peer closed the connection (any partial message is dropped).</summary>
    public bool IsEndOfStream { get; }

    public static BgpReadResult EndOfStream => new(null, default, null, true);

    public static BgpReadResult FromMessage(BgpMessage message, in BgpError error) => new(message, error, null, false);

    public static BgpReadResult FromFatal(in BgpError error, NotificationMessage notification) => new(null, error, notification, false);
}
