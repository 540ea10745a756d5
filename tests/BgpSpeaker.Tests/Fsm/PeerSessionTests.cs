using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

public sealed class PeerSessionTests : IAsyncDisposable
{
    private const uint LocalAs = 65000;
    private const uint PeerAs = 65001;
    private static readonly IPAddress PeerAddress = IPAddress.Parse("192.0.2.2");
    private const uint PeerId = 0x0A000002;   // 10.0.0.2

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTransport _transport = new();
    private readonly RecordingOwner _owner = new();
    private PeerSession? _session;

    private PeerSession Start(string routerId = "10.0.0.1", bool passive = false, TimeSpan? hold = null)
    {
        var global = new BgpGlobalOptions { LocalAs = LocalAs, RouterId = IPAddress.Parse(routerId) };
        var options = new BgpPeerOptions
        {
            Address = PeerAddress,
            RemoteAs = PeerAs,
            Passive = passive,
            HoldTime = hold ?? TimeSpan.FromSeconds(90),
            ConnectRetryTime = TimeSpan.FromSeconds(5),
        };
        return _session = new PeerSession(global, options, _owner, _transport, _time, NullLogger.Instance);
    }

    private async Task<FakePeer> EstablishAsync(ushort peerHold = 90, GracefulRestartCapability? gr = null)
    {
        var peer = await _transport.NextConnectAsync();
        await peer.HandshakeAsync(PeerAs, PeerId, peerHold, gr);
        await _owner.ExpectAsync("established");
        return peer;
    }

    private static async Task WaitForMessagesIn(PeerSession session, long count)
    {
        for (var i = 0; i < 500 && session.MessagesIn < count; i++)
        {
            await Task.Delay(10);
        }
        Assert.True(session.MessagesIn >= count, $"the session took in {session.MessagesIn} messages, not {count}");
    }

    private static async Task WaitForState(PeerSession session, SessionState state)
    {
        for (var i = 0; i < 500 && session.State != state; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(state, session.State);
    }

    [Fact]
    public async Task Session_PeerCompletesHandshake_EstablishedWithSmallerHoldTime()
    {
        var session = Start();
        await EstablishAsync(peerHold: 30);

        Assert.Equal(SessionState.Established, session.State);
        Assert.Equal(TimeSpan.FromSeconds(30), _owner.Negotiated!.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(10), _owner.Negotiated.KeepaliveTime);
        Assert.Equal(PeerId, _owner.Negotiated.RemoteRouterId);
        Assert.Equal([RouteFamily.Ipv4Unicast, RouteFamily.Ipv6Unicast], _owner.Negotiated.Families);
    }

    [Fact]
    public async Task Session_OurOpen_CarriesCapabilitiesAndFourOctetAs()
    {
        Start();
        var peer = await _transport.NextConnectAsync();
        var body = await peer.ExpectAsync(BgpMessageType.Open);

        Assert.True(OpenMessage.TryRead(body, out var open, out _));
        Assert.Equal(LocalAs, open!.Asn);
        Assert.Equal((ushort)90, open.HoldTime);
        Assert.True(open.Capabilities.RouteRefresh);
        Assert.NotNull(open.Capabilities.GracefulRestart);
        Assert.Equal([AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast], open.Capabilities.Multiprotocol.ToArray());
    }

    [Fact]
    public async Task OpenSent_HoldTimerExpires_SendsNotification4()
    {
        var session = Start();
        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);

        _time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(1));

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.HoldTimerExpired, notification.Code);
        await WaitForState(session, SessionState.Idle);
    }

    [Fact]
    public async Task OpenSent_WrongPeerAs_SendsBadPeerAs()
    {
        var session = Start();
        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);

        await peer.SendOpenAsync(65009, PeerId);

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.OpenMessageError, notification.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, notification.Subcode);
        await WaitForState(session, SessionState.Idle);
        Assert.Contains("Bad Peer AS", session.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSent_HoldTimeOneSecond_SendsUnacceptableHoldTime()
    {
        Start();
        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);

        await peer.SendOpenAsync(PeerAs, PeerId, holdTime: 1);

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.OpenMessageError, notification.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.UnacceptableHoldTime, notification.Subcode);
    }

    [Fact]
    public async Task OpenSent_BadMarker_SendsConnectionNotSynchronized()
    {
        Start();
        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);
        var keepalive = KeepaliveMessage.Instance.ToArray(BgpCodecContext.Initial);
        keepalive[3] = 0;

        await peer.SendRawAsync(keepalive);

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.MessageHeaderError, notification.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, notification.Subcode);
    }

    [Fact]
    public async Task OpenConfirm_UpdateInsteadOfKeepalive_SendsFsmError()
    {
        Start();
        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);
        await peer.SendOpenAsync(PeerAs, PeerId);
        await peer.ExpectAsync(BgpMessageType.Keepalive);

        await peer.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.FiniteStateMachineError, notification.Code);
        Assert.Equal((byte)FiniteStateMachineErrorSubcode.UnexpectedMessageInOpenConfirm, notification.Subcode);
    }

    [Fact]
    public async Task Established_PeerSilentForHoldTime_SendsNotification4AndKeepsRoutesWithGracefulRestart()
    {
        var session = Start();
        var peer = await EstablishAsync(gr: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });

        _time.Advance(TimeSpan.FromSeconds(91));

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.HoldTimerExpired, notification.Code);
        await _owner.ExpectAsync("down");
        Assert.True(_owner.KeptStale);
        await WaitForState(session, SessionState.Idle);
    }

    [Fact]
    public async Task Established_KeepaliveTimer_SendsKeepalive()
    {
        Start();
        var peer = await EstablishAsync(peerHold: 30);

        _time.Advance(TimeSpan.FromSeconds(10));

        await peer.ExpectAsync(BgpMessageType.Keepalive);
    }

    [Fact]
    public async Task Established_KeepalivesFromPeer_HoldTimerDoesNotExpire()
    {
        var session = Start();
        var peer = await EstablishAsync(peerHold: 30);

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var taken = session.MessagesIn;
            await peer.SendAsync(KeepaliveMessage.Instance);
            await peer.ExpectAsync(BgpMessageType.Keepalive);
            // Fake time must not move on before the session has read the keepalive (a real peer's
            // arrives in real time): on a loaded machine the read loop could lag two advances, and
            // the hold timer then rightly expired (1 failure in ~20 runs).
            await WaitForMessagesIn(session, taken + 1);
        }

        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact]
    public async Task Established_PeerSendsNotification_DownWithoutKeepingRoutes()
    {
        var session = Start();
        var peer = await EstablishAsync(gr: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });

        await peer.SendAsync(NotificationMessage.Cease(CeaseSubcode.AdministrativeShutdown));

        await _owner.ExpectAsync("down");
        Assert.False(_owner.KeptStale);
        await WaitForState(session, SessionState.Idle);
        Assert.Contains("Administrative Shutdown", session.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Established_ClosedForOurRestart_NoNotificationOnlyTheConnectionEnds()
    {
        var session = Start();
        var peer = await EstablishAsync(gr: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });

        await session.CloseAsync(notify: false);
        _session = null;

        // Everything the peer reads until the end of the stream: no NOTIFICATION among it (RFC 4724
        // §4.2: the peer keeps our routes as stale only when the connection just ends).
        var messages = new List<BgpMessageType>();
        while (await peer.ReadAsync() is { } message)
        {
            messages.Add(message.Type);
        }
        Assert.DoesNotContain(BgpMessageType.Notification, messages);
        Assert.Equal(SessionState.Idle, session.State);
        Assert.Null(session.LastError);
    }

    [Fact]
    public async Task Established_Disposed_SendsCeaseAdministrativeShutdown()
    {
        var session = Start();
        var peer = await EstablishAsync();

        var closing = session.DisposeAsync().AsTask();
        _session = null;

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.Cease, notification.Code);
        Assert.Equal((byte)CeaseSubcode.AdministrativeShutdown, notification.Subcode);
        await closing;
    }

    [Fact]
    public async Task Established_UpdateReceived_HandedToOwner()
    {
        Start();
        var peer = await EstablishAsync();

        await peer.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));

        await _owner.ExpectAsync("update");
    }

    [Fact]
    public async Task Established_RouteRefreshReceived_HandedToOwner()
    {
        Start();
        var peer = await EstablishAsync();

        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv6Unicast));

        await _owner.ExpectAsync($"refresh {RouteFamily.Ipv6Unicast}");
    }

    private static byte[] RawRouteRefresh(params byte[] body)
    {
        var message = new byte[BgpHeader.Size + body.Length];
        BgpHeader.Write(message, message.Length, BgpMessageType.RouteRefresh);
        body.CopyTo(message, BgpHeader.Size);
        return message;
    }

    [Theory]
    [InlineData(new byte[] { 0, 1, 0 })]            // AFI and subtype only
    [InlineData(new byte[] { 0, 1, 0, 1, 0 })]      // one octet too many
    public async Task Established_RouteRefreshWrongLength_RouteRefreshMessageErrorInvalidLength(byte[] body)
    {
        var session = Start();
        var peer = await EstablishAsync();

        await peer.SendRawAsync(RawRouteRefresh(body));

        var notification = await peer.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.RouteRefreshMessageError, notification.Code);
        Assert.Equal((byte)RouteRefreshMessageErrorSubcode.InvalidMessageLength, notification.Subcode);
        await WaitForState(session, SessionState.Idle);
        Assert.Contains("ROUTE-REFRESH", session.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 25, 0, 65 })]       // L2VPN/EVPN: never negotiated
    [InlineData(new byte[] { 0, 1, 0, 128 })]       // IPv4 MPLS VPN
    [InlineData(new byte[] { 0, 1, 7, 1 })]         // reserved subtype (RFC 7313 §5)
    public async Task Established_RouteRefreshUnknownFamilyOrSubtype_IgnoredSessionStaysUp(byte[] body)
    {
        var session = Start();
        var peer = await EstablishAsync();

        await peer.SendRawAsync(RawRouteRefresh(body));
        await peer.SendAsync(new RouteRefreshMessage(AfiSafi.Ipv4Unicast));

        // The ignored request produced nothing; the valid one after it is still served.
        await _owner.ExpectAsync($"refresh {RouteFamily.Ipv4Unicast}");
        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact]
    public async Task Connect_Refused_RetriesWhenConnectRetryExpires()
    {
        _transport.RefuseConnects = true;
        var session = Start();
        await WaitForState(session, SessionState.Active);
        Assert.Equal(1, _transport.ConnectAttempts);

        _transport.RefuseConnects = false;
        _time.Advance(TimeSpan.FromSeconds(5));

        var peer = await _transport.NextConnectAsync();
        await peer.ExpectAsync(BgpMessageType.Open);
        Assert.Equal(2, _transport.ConnectAttempts);
    }

    [Fact]
    public async Task Passive_NeverConnects_AnswersIncomingConnection()
    {
        var session = Start(passive: true);
        await WaitForState(session, SessionState.Active);
        _time.Advance(TimeSpan.FromSeconds(30));
        var (ours, peer) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);

        await peer.ExpectAsync(BgpMessageType.Open);
        Assert.Equal(0, _transport.ConnectAttempts);
    }

    [Fact]
    public async Task Collision_InOpenConfirmOurIdHigher_NewIncomingConnectionClosedWithCease7()
    {
        var session = Start(routerId: "10.0.0.9");
        var outbound = await _transport.NextConnectAsync();
        await outbound.ExpectAsync(BgpMessageType.Open);
        await outbound.SendOpenAsync(PeerAs, PeerId);
        await outbound.ExpectAsync(BgpMessageType.Keepalive);
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);

        var notification = await incoming.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.Cease, notification.Code);
        Assert.Equal((byte)CeaseSubcode.ConnectionCollisionResolution, notification.Subcode);
        await outbound.SendAsync(KeepaliveMessage.Instance);
        await _owner.ExpectAsync("established");
    }

    [Fact]
    public async Task Collision_InOpenConfirmPeerIdHigher_OurConnectionClosedIncomingKept()
    {
        var session = Start(routerId: "10.0.0.1");
        var outbound = await _transport.NextConnectAsync();
        await outbound.ExpectAsync(BgpMessageType.Open);
        await outbound.SendOpenAsync(PeerAs, PeerId);
        await outbound.ExpectAsync(BgpMessageType.Keepalive);
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);

        var notification = await outbound.ExpectNotificationAsync();
        Assert.Equal((byte)CeaseSubcode.ConnectionCollisionResolution, notification.Subcode);
        await incoming.HandshakeAsync(PeerAs, PeerId);
        await _owner.ExpectAsync("established");
        Assert.Equal(SessionState.Established, session.State);
    }

    [Fact]
    public async Task Established_NewConnectionFromRestartingPeer_OldSessionDownKeepingRoutes()
    {
        var session = Start();
        var old = await EstablishAsync(gr: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);
        // RFC 4724 §4.2: the new OPEN says the peer restarted (R bit): the old session ends, its routes kept stale.
        await incoming.HandshakeAsync(PeerAs, PeerId, gracefulRestart: new GracefulRestartCapability { Restarting = true, RestartTime = 120, Families = FakePeer.BothFamilies(true) });

        await _owner.ExpectAsync("down");
        Assert.True(_owner.KeptStale);
        await _owner.ExpectAsync("established");
        Assert.Equal(SessionState.Established, session.State);
        Assert.True(await old.ClosedAsync());
    }

    [Fact]
    public async Task Established_CollidingConnectionFromPeerThatDidNotRestart_NewConnectionClosedWithCease7SessionStaysUp()
    {
        // The peer's own connect attempt arrives after ours reached Established (a router that also
        // connects out, e.g. FRR while it helps us restart): RFC 4271 §6.8 closes the new connection.
        var session = Start();
        var established = await EstablishAsync(gr: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);
        await incoming.SendOpenAsync(PeerAs, PeerId, gracefulRestart: new GracefulRestartCapability { RestartTime = 120, Families = FakePeer.BothFamilies(true) });

        var notification = await incoming.ExpectNotificationAsync();
        Assert.Equal(NotificationCode.Cease, notification.Code);
        Assert.Equal((byte)CeaseSubcode.ConnectionCollisionResolution, notification.Subcode);
        Assert.True(await incoming.ClosedAsync());
        await established.SendAsync(KeepaliveMessage.Instance);
        await established.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));
        await _owner.ExpectAsync("update");
        Assert.Equal(SessionState.Established, session.State);
        Assert.Equal(0, session.Flaps);
        Assert.Null(_owner.KeptStale);
    }

    [Fact]
    public async Task Established_CollidingConnectionFromPeerStillInItsOwnRestart_NewConnectionClosedWithCease7SessionStaysUp()
    {
        // The session came up with a peer that had just restarted (R bit set in its OPEN, as a router may
        // for its restart time after it starts); its own late connect attempt says the same and is
        // no new restart.
        var restarting = new GracefulRestartCapability { Restarting = true, RestartTime = 120, Families = FakePeer.BothFamilies(true) };
        var session = Start();
        var established = await EstablishAsync(gr: restarting);
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);
        await incoming.SendOpenAsync(PeerAs, PeerId, gracefulRestart: restarting);

        var notification = await incoming.ExpectNotificationAsync();
        Assert.Equal((byte)CeaseSubcode.ConnectionCollisionResolution, notification.Subcode);
        await established.SendAsync(UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast));
        await _owner.ExpectAsync("update");
        Assert.Equal(SessionState.Established, session.State);
        Assert.Equal(0, session.Flaps);
    }

    [Fact]
    public async Task Established_CollidingConnectionWithoutGracefulRestart_NewConnectionClosedWithCease7SessionStaysUp()
    {
        var session = Start();
        var established = await EstablishAsync();
        var (ours, incoming) = InMemoryTransport.Incoming(PeerAddress);

        session.Accept(ours);
        await incoming.SendOpenAsync(PeerAs, PeerId);

        var notification = await incoming.ExpectNotificationAsync();
        Assert.Equal((byte)CeaseSubcode.ConnectionCollisionResolution, notification.Subcode);
        await established.SendAsync(KeepaliveMessage.Instance);
        Assert.Equal(SessionState.Established, session.State);
        Assert.Equal(0, session.Flaps);
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }
}
