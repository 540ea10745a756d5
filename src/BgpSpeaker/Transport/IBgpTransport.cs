using System.Net;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>Opens connections to peers and accepts theirs. TCP in production; an in-memory pipe in unit tests.</summary>
public interface IBgpTransport
{
    Task<TransportConnection> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken);

    IBgpListener Listen(IPEndPoint endpoint);
}
