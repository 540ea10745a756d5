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

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
