using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>A NOTIFICATION to send or one received: error code, subcode and data (RFC 4271 §4.5).</summary>
internal sealed record BgpNotification(NotificationCode Code, byte Subcode, byte[] Data)
{
    public BgpNotification(NotificationCode code, byte subcode)
        : this(code, subcode, [])
    {
    }

    public static BgpNotification Cease(CeaseSubcode subcode) => new(NotificationCode.Cease, (byte)subcode);

    public override string ToString() => NotificationText.Describe(Code, Subcode);
}
