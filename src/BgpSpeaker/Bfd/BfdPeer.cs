using System.Net;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>One single-hop BFD session's ends (RFC 5881): the peer's address, ours (null: the kernel's choice of source), and the timers.</summary>
public sealed record BfdPeer(IPAddress Peer, IPAddress? Local, BfdTimers Timers);
