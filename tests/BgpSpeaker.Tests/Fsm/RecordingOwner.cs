using System.Threading.Channels;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>Stands in for the speaker loop: records what the session reports.</summary>
internal sealed class RecordingOwner : ISessionOwner
{
    public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

    public Negotiated? Negotiated { get; private set; }

    public bool? KeptStale { get; private set; }

    public void Established(PeerSession session, Negotiated negotiated)
    {
        Negotiated = negotiated;
        Events.Writer.TryWrite("established");
    }

    public void UpdateReceived(PeerSession session, byte[] body) => Events.Writer.TryWrite("update");

    public void RouteRefreshRequested(PeerSession session, RouteFamily family) => Events.Writer.TryWrite($"refresh {family}");

    public void Down(PeerSession session, bool keepRoutesStale, string reason)
    {
        KeptStale = keepRoutesStale;
        Events.Writer.TryWrite("down");
    }

    public async Task ExpectAsync(string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await Events.Reader.ReadAsync(timeout.Token) == expected)
            {
                return;
            }
        }
    }
}
