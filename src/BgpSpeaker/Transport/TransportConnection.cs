using System.Net;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>An open byte stream to a peer, and which side opened it (needed for collision resolution, RFC 4271 §6.8).</summary>
public sealed class TransportConnection(Stream stream, IPEndPoint local, IPEndPoint remote, bool outbound) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;

    public IPEndPoint Local { get; } = local;

    public IPEndPoint Remote { get; } = remote;

    /// <summary>True when we connected out; false when the peer connected to our listener.</summary>
    public bool Outbound { get; } = outbound;

    /// <summary>
    /// TTL (IPv6 hop limit) of the peer's SYN as it arrived, for a connection the peer opened to a
    /// listener that saved it (TCP_SAVE_SYN); null otherwise. GTSM judges an accepted connection by it.
    /// </summary>
    public int? ArrivalTtl { get; init; }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
