using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// Our speaker as the receiver of a drain (RFC 8326 §4.2): a route that arrives with
/// GRACEFUL_SHUTDOWN 65535:0 is taken with LOCAL_PREF 0, from eBGP and iBGP peers alike, so another
/// path to the prefix wins while the neighbour drains (before it withdraws); its route is still
/// used when it is the only one, and wins again once announced without the community.
/// </summary>
public sealed class SpeakerGracefulShutdownReceivedTests : IAsyncDisposable
{
    private const uint LocalAs = 65000;
    private const string Prefix = "10.30.0.0/16";
    private static readonly IPAddress Draining = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.3");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerGracefulShutdownReceivedTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = LocalAs, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    [Theory]
    [InlineData(65001u, 65002u)]
    [InlineData(LocalAs, LocalAs)]
    public async Task Received65535_0_LocalPrefZero_TheOtherPathWinsUntilAnnouncedWithout(uint drainingAs, uint otherAs)
    {
        await _speaker.StartAsync();
        var draining = await PeerAsync(Draining, drainingAs);
        var other = await PeerAsync(Other, otherAs);

        // Alone, the draining neighbour's route is used, at LOCAL_PREF 0.
        await AnnounceAsync(draining, Draining, drainingAs, [BgpSpeaker.GracefulShutdownCommunity], pathLength: 1, localPref: 200);
        var alone = await BestAsync(e => e.Peer?.Equals(Draining) == true, "the draining neighbour's route as the only one");
        Assert.Equal(0u, alone.LocalPreference);

        // A longer path from another neighbour wins over it: local preference decides.
        await AnnounceAsync(other, Other, otherAs, [], pathLength: 3, localPref: 100);
        var moved = await BestAsync(e => e.Peer?.Equals(Other) == true, "the other neighbour's path to win");
        Assert.Equal(DecisionReason.LocalPreference, moved.Reason);
        Assert.Equal([Other], moved.NextHops);

        // Back in service (announced again without the community): its shorter path wins again.
        await AnnounceAsync(draining, Draining, drainingAs, [], pathLength: 1, localPref: 100);
        var back = await BestAsync(e => e.Peer?.Equals(Draining) == true, "the neighbour's path back after its drain was undone");
        Assert.Equal(100u, back.LocalPreference);
    }

    private async Task<FakePeer> PeerAsync(IPAddress address, uint remoteAs)
    {
        await _speaker.AddPeerAsync(new BgpPeerOptions { Address = address, RemoteAs = remoteAs, Import = ImportPolicy.AcceptAll });
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(remoteAs, BitConverter.ToUInt32(address.GetAddressBytes()));
        return peer;
    }

    private static Task AnnounceAsync(FakePeer peer, IPAddress nextHop, uint peerAs, uint[] communities, int pathLength, uint localPref)
    {
        var internalPeer = peerAs == LocalAs;
        // An iBGP path's length counts only what lies beyond our AS: a remote AS stands in for it.
        uint[] path = [.. Enumerable.Repeat(internalPeer ? 65100u : peerAs, pathLength)];
        return peer.SendAsync(new UpdateMessage(
            attributes: new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.FromSequence(path),
                NextHop = nextHop,
                LocalPref = internalPeer ? localPref : null,
                Communities = [.. communities],
            },
            nlri: [BgpPrefix.Parse(Prefix)]));
    }

    private async Task<RibEntry> BestAsync(Func<RibEntry, bool> condition, string what)
    {
        RibEntry? last = null;
        for (var i = 0; i < 500; i++)
        {
            last = (await _speaker.GetRoutesAsync()).SingleOrDefault(e => e.Prefix.ToString() == Prefix);
            if (last is not null && condition(last))
            {
                return last;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"never: {what}; last {last}");
        return null!;
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
