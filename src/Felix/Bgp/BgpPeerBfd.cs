using RoutedNet.BgpSpeaker.Bfd;

namespace RoutedNet.Felix.Bgp;

/// <summary>A peer's BFD session as the agent runs it (BGPPeer spec.bfd with its defaults): the timers, whether the mode is Graceful, and the lowest TTL taken if the peer turns out to be multihop.</summary>
public sealed record BgpPeerBfd(BfdTimers Timers, bool Graceful, byte MinimumTtl = BfdPeer.DefaultMinimumTtl);
