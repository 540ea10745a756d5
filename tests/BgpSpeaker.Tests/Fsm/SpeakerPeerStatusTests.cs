using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>
/// The peer counters the node agent reports: received (what the peer announces) against accepted
/// (what import let into Adj-RIB-In), and flaps, over in-memory connections and a fake clock.
/// </summary>
public sealed class SpeakerPeerStatusTests : IAsyncDisposable
{
    private const string Allowed = "10.10.2.0/24";
    private const string Refused = "172.16.1.0/24";
    private static readonly IPAddress PeerAddress = IPAddress.Parse("192.0.2.2");
    private static readonly ImportPolicy PoolsOnly = new() { Allowed = [PrefixRange.Parse("10.10.0.0/16 le 32")] };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly BgpSpeaker _speaker;

    public SpeakerPeerStatusTests()
    {
        _speaker = new BgpSpeaker(new BgpGlobalOptions { LocalAs = 65000, RouterId = IPAddress.Parse("10.0.0.1"), ListenPort = null }, null, _time, _transport);
    }

    private static BgpPeerOptions Peer(ImportPolicy import) => new() { Address = PeerAddress, RemoteAs = 65001, Import = import };

    private async Task<FakePeer> StartAsync(GracefulRestartCapability? gracefulRestart = null)
    {
        await _speaker.StartAsync();
        await _speaker.AddPeerAsync(Peer(PoolsOnly));
        return await EstablishAsync(_transport.NextConnectAsync(), gracefulRestart);
    }

    private static async Task<FakePeer> EstablishAsync(Task<FakePeer> connect, GracefulRestartCapability? gracefulRestart = null)
    {
        var peer = await connect;
        await peer.HandshakeAsync(65001, 0x0A000002, gracefulRestart: gracefulRestart);
        return peer;
    }

    /// <summary>The speaker's next connect, moving the fake clock past the idle hold time; reads no status.</summary>
    private async Task<FakePeer> ReconnectAsync()
    {
        var next = _transport.NextConnectAsync();
        for (var i = 0; i < 100 && !next.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
        return await next;
    }

    private static Task Announce(FakePeer peer, string prefix, params uint[] asPath) =>
        peer.SendAsync(new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(asPath.Length == 0 ? [65001] : asPath), NextHop = PeerAddress },
            nlri: [BgpPrefix.Parse(prefix)]));

    private static Task Withdraw(FakePeer peer, string prefix) =>
        peer.SendAsync(new UpdateMessage(withdrawnRoutes: [BgpPrefix.Parse(prefix)]));

    private async Task<PeerStatus> Status() => (await _speaker.GetPeersAsync())[0];

    private async Task<PeerStatus> Until(Func<PeerStatus, bool> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            var status = await Status();
            if (condition(status))
            {
                return status;
            }
            await Task.Delay(10);
        }
        Assert.Fail($"never: {what}; last {await Status()}");
        return null!;
    }

    [Fact]
    public async Task Announce_OutsideImportPolicy_ReceivedButNotAccepted()
    {
        var peer = await StartAsync();

        await Announce(peer, Allowed);
        await Announce(peer, Refused);

        var status = await Until(s => s.PrefixesReceived == 2, "both prefixes received");
        Assert.Equal((1, 1), (status.PrefixesIn, status.PrefixesFiltered));
    }

    [Fact]
    public async Task Withdraw_FilteredPrefix_NoLongerReceived()
    {
        var peer = await StartAsync();
        await Announce(peer, Refused);
        await Until(s => s.PrefixesFiltered == 1, "the refused prefix counted");

        await Withdraw(peer, Refused);

        var status = await Until(s => s.PrefixesFiltered == 0, "the withdrawal read");
        Assert.Equal((0, 0), (status.PrefixesIn, status.PrefixesReceived));
    }

    [Fact]
    public async Task Reannounce_LoopedThenClean_MovesFromFilteredToAcceptedOnce()
    {
        var peer = await StartAsync();
        await Announce(peer, Allowed, 65001, 65000);
        var looped = await Until(s => s.PrefixesFiltered == 1, "the looped announcement filtered");
        Assert.Equal((0, 1), (looped.PrefixesIn, looped.PrefixesReceived));

        await Announce(peer, Allowed, 65001);

        var clean = await Until(s => s.PrefixesIn == 1, "the clean announcement accepted");
        Assert.Equal((0, 1), (clean.PrefixesFiltered, clean.PrefixesReceived));
    }

    [Fact]
    public async Task ImportPolicyChange_MovesPrefixesBetweenFilteredAndAccepted_ReceivedUnchanged()
    {
        var peer = await StartAsync();
        await Announce(peer, Allowed);
        await Announce(peer, Refused);
        await Until(s => s.PrefixesFiltered == 1 && s.PrefixesIn == 1, "one of each");

        // Widened: the speaker asks for the routes again (RFC 2918) and takes the one it refused.
        await _speaker.UpdatePeerAsync(Peer(new ImportPolicy { Allowed = [.. PoolsOnly.Allowed, PrefixRange.Parse("172.16.0.0/16 le 32")] }));
        await peer.ExpectAsync(BgpMessageType.RouteRefresh);
        await Announce(peer, Allowed);
        await Announce(peer, Refused);
        var widened = await Until(s => s.PrefixesIn == 2, "the refreshed routes accepted");
        Assert.Equal((0, 2), (widened.PrefixesFiltered, widened.PrefixesReceived));

        // Narrowed: what is no longer allowed is filtered at once; the peer still announces it.
        await _speaker.UpdatePeerAsync(Peer(PoolsOnly));
        var narrowed = await Until(s => s.PrefixesIn == 1, "the disallowed route dropped");
        Assert.Equal((1, 2), (narrowed.PrefixesFiltered, narrowed.PrefixesReceived));
        Assert.Equal(0, narrowed.Flaps);
    }

    [Fact]
    public async Task SessionDown_GracefulRestartKeepsStale_FilteredCleared()
    {
        var peer = await StartAsync(new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });
        await Announce(peer, Allowed);
        await Announce(peer, Refused);
        await Until(s => s.PrefixesFiltered == 1 && s.PrefixesIn == 1, "one of each");

        await peer.DisposeAsync();

        var down = await Until(s => s.State == SessionState.Idle, "session down");
        Assert.Equal((1, 1, 0, 1), (down.StalePrefixes, down.PrefixesIn, down.PrefixesFiltered, down.PrefixesReceived));
    }

    [Fact]
    public async Task SessionDropsAndComesBack_NoStatusReadBetween_OneFlap()
    {
        var peer = await StartAsync();

        // The session reads our KEEPALIVE (Established) before it sees the connection close.
        await peer.DisposeAsync();
        var back = await EstablishAsync(ReconnectAsync());

        var status = await Until(s => s.State == SessionState.Established, "re-established");
        Assert.Equal(1, status.Flaps);
        await back.DisposeAsync();
    }

    [Fact]
    public async Task OperatorReset_EstablishedSession_CountsAFlap()
    {
        await StartAsync();
        await Until(s => s.State == SessionState.Established, "established");

        await _speaker.ResetPeerAsync(PeerAddress);
        var back = await EstablishAsync(_transport.NextConnectAsync());

        var status = await Until(s => s.State == SessionState.Established, "re-established");
        Assert.Equal(1, status.Flaps);
        await back.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await _speaker.DisposeAsync();
}
