namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>KEEPALIVE (RFC 4271 §4.4): the header alone, Length 19.</summary>
public sealed class KeepaliveMessage : BgpMessage
{
    private KeepaliveMessage()
    {
    }

    /// <summary>The only instance; KEEPALIVEs carry nothing, so receiving one allocates nothing.</summary>
    public static KeepaliveMessage Instance { get; } = new();

    public override BgpMessageType Type => BgpMessageType.Keepalive;

    /// <summary>The frame reader already insists on Length 19 (RFC 4271 §6.1), so any empty body is valid.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out KeepaliveMessage message, out BgpError error)
    {
        message = Instance;
        error = body.IsEmpty
            ? default
            : BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageLength, ErrorAction.SessionReset, (uint)(BgpHeader.Size + body.Length), 2);
        return body.IsEmpty;
    }

    public override string ToString() => "KEEPALIVE";

    private protected override int GetBodyLength(in BgpCodecContext context) => 0;

    private protected override void WriteBody(Span<byte> destination, in BgpCodecContext context)
    {
    }
}
