using System.Net;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>How to reach one peer: address, optional source, MD5 key, TTL (multihop) and minimum TTL (GTSM).</summary>
public sealed record ConnectRequest(IPEndPoint Remote, IPAddress? Local, string? Password, int? Ttl, int? MinTtl);
