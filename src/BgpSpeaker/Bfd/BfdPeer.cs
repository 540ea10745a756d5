using System.Net;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// One BFD session's ends: the peer's address, ours (null: the kernel's choice of source), and the
/// timers. Single hop (RFC 5881) unless <paramref name="Multihop"/> (RFC 5883, for a peer that is
/// not on a connected subnet), whose packets are taken when they arrive with a TTL of at least
/// <paramref name="MinimumTtl"/>. The default, 1, takes any: senders differ (FRR starts multihop
/// packets at 255, BIRD at the system default 64), so a bound is the operator's to set.
/// </summary>
public sealed record BfdPeer(IPAddress Peer, IPAddress? Local, BfdTimers Timers, bool Multihop = false, byte MinimumTtl = BfdPeer.DefaultMinimumTtl)
{
    public const byte DefaultMinimumTtl = 1;
}
