using RoutedNet.BgpSpeaker.Bfd;

namespace RoutedNet.Felix.Bgp;

/// <summary>A peer's BFD session as the agent runs it (BGPPeer spec.bfd with its defaults): the timers, and whether the mode is Graceful.</summary>
public sealed record BgpPeerBfd(BfdTimers Timers, bool Graceful);
