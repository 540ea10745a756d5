using System.Net;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>A listening endpoint. Per-peer MD5 keys live on the listener too, or the kernel drops the peer's SYN.</summary>
public interface IBgpListener : IAsyncDisposable
{
    Task<TransportConnection> AcceptAsync(CancellationToken cancellationToken);

    /// <summary>Sets (or with null removes) the TCP-MD5 key for connections from <paramref name="peer"/>.</summary>
    void SetPassword(IPAddress peer, string? password);

    /// <summary>
    /// Applies per-peer TTL settings to an accepted connection; false when GTSM refuses it: its SYN
    /// arrived with a TTL below <paramref name="minTtl"/> (the caller closes it unread).
    /// </summary>
    bool ApplyTtl(TransportConnection connection, int? ttl, int? minTtl);
}
