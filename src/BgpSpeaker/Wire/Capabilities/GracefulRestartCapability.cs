using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Graceful restart capability value (RFC 4724 §3; N bit from RFC 8538 §2).
/// <code>
/// +--------------------------------------------------+
/// | Restart Flags (4 bits) | Restart Time (12 bits)  |
/// +--------------------------------------------------+
/// | AFI (2 octets) | SAFI (1) | Flags for AFI (1)    |   repeated
/// +--------------------------------------------------+
/// </code>
/// Restart Flags: 0x8 Restart State (R), 0x4 Graceful Notification (N). AFI flags: 0x80 Forwarding State (F).
/// </summary>
public sealed record GracefulRestartCapability
{
    /// <summary>The largest value the 12-bit Restart Time holds, in seconds.</summary>
    public const int MaxRestartTime = 4095;

    /// <summary>R bit: we restarted and our peer should not wait for our End-of-RIB before sending its own.</summary>
    public bool Restarting { get; init; }

    /// <summary>N bit (RFC 8538): a NOTIFICATION other than Hard Reset also starts helper mode.</summary>
    public bool NotificationSupport { get; init; }

    /// <summary>Seconds the peer should keep our routes after the session drops (0–4095).</summary>
    public ushort RestartTime { get; init; }

    public ImmutableArray<GracefulRestartFamily> Families { get; init; } = [];

    public bool Equals(GracefulRestartCapability? other) =>
        other is not null && Restarting == other.Restarting && NotificationSupport == other.NotificationSupport
        && RestartTime == other.RestartTime && Families.AsSpan().SequenceEqual(other.Families.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Restarting, NotificationSupport, RestartTime, Families.Length);
}
