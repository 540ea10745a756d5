using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// A peer's import filters and loop allowance in a running speaker (in-memory connection, fake
/// clock): what a rule rejects is counted as filtered and in <see cref="PeerStatus.ImportRejected"/>,
/// and our own AS in a path is a loop unless the peer allows it that often.
/// </summary>
public sealed class SpeakerImportFilterTests : IAsyncDisposable
{
    private const uint LocalAs = 65000;
    private static readonly IPAddress PeerAddress = IPAddress.Parse("192.0.2.2");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerImportFilterTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = LocalAs, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    private async Task<FakePeer> StartAsync(ImportPolicy import)
    {
        await _speaker.StartAsync();
        await _speaker.AddPeerAsync(new BgpPeerOptions { Address = PeerAddress, RemoteAs = 65001, Import = import });
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(65001, 0x0A000002);
        return peer;
    }

    private static Task Announce(FakePeer peer, string prefix, params uint[] asPath) =>
        peer.SendAsync(new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(asPath.Length == 0 ? [65001] : asPath), NextHop = PeerAddress },
            nlri: [BgpPrefix.Parse(prefix)]));

    private async Task<PeerStatus> Until(Func<PeerStatus, bool> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            var status = (await _speaker.GetPeersAsync())[0];
            if (condition(status))
            {
                return status;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"never: {what}; last {(await _speaker.GetPeersAsync())[0]}");
        return null!;
    }

    [Fact]
    public async Task Announce_RejectedByRule_FilteredAndCountedEachTime()
    {
        var peer = await StartAsync(ImportPolicy.AcceptAll with
        {
            Rules =
            [
                new FilterRule(false, FilterAction.Accept, BgpPrefix.Parse("0.0.0.0/0"), FilterMatch.Equal),
                new FilterRule(false, FilterAction.Reject, BgpPrefix.Parse("10.65.0.0/16"), FilterMatch.In),
            ],
        });

        await Announce(peer, "0.0.0.0/0");
        await Announce(peer, "10.65.9.0/26");
        await Announce(peer, "10.10.0.0/16");
        var first = await Until(s => s.PrefixesReceived == 3, "three prefixes received");
        await Announce(peer, "10.65.9.0/26");
        var again = await Until(s => s.ImportRejected == 2, "the second announcement of the pool prefix rejected");

        Assert.Equal((2, 1, 1L), (first.PrefixesIn, first.PrefixesFiltered, first.ImportRejected));
        Assert.Equal((2, 1), (again.PrefixesIn, again.PrefixesFiltered));
        var routes = await _speaker.GetRoutesAsync();
        Assert.Equal(["0.0.0.0/0", "10.10.0.0/16"], routes.Select(r => r.Prefix.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    [InlineData(2, 2, true)]
    public async Task Announce_OurAsInThePath_LoopUnlessAllowedThatOften(int allowed, int occurrences, bool accepted)
    {
        var peer = await StartAsync(ImportPolicy.AcceptAll with { AllowedLocalAsOccurrences = allowed });
        uint[] path = [65001, .. Enumerable.Repeat(LocalAs, occurrences), 65002];

        await Announce(peer, "10.65.9.0/26", path);

        var status = await Until(s => s.PrefixesReceived == 1, "the announcement read");
        Assert.Equal(accepted ? (1, 0) : (0, 1), (status.PrefixesIn, status.PrefixesFiltered));
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
