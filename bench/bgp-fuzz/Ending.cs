using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

public enum EndingKind
{
    /// <summary>The session survived the case.</summary>
    Established,

    /// <summary>The speaker sent a NOTIFICATION (and closed).</summary>
    Notification,

    /// <summary>The speaker closed without a NOTIFICATION.</summary>
    Closed,

    /// <summary>The connection was reset (TCP RST) before any NOTIFICATION arrived.</summary>
    ConnectionReset,
}

/// <summary>How the speaker reacted to one case.</summary>
public readonly record struct Ending(EndingKind Kind, NotificationCode Code, byte Subcode)
{
    public override string ToString() => Kind == EndingKind.Notification ? $"NOTIFICATION {NotificationText.Describe(Code, Subcode)}" : Kind.ToString();
}
