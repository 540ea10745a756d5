using System.Buffers.Binary;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>Connections arriving, messages arriving, OPEN negotiation and collision resolution.</summary>
internal sealed partial class PeerSession
{
    private async Task ConnectionUpAsync(TransportConnection transport, IDisposable? lease)
    {
        var connection = new BgpConnection(transport, _events.Writer) { HandshakeLease = lease };
        switch (State)
        {
            case SessionState.Idle:
                // Stopped or backing off after an error: refuse (RFC 4271 §8.2.2, Idle state).
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            case SessionState.Connect or SessionState.Active:
                _connecting?.Cancel();
                StopTimer(SessionTimer.ConnectRetry);
                Adopt(connection);
                return;
            case SessionState.OpenSent when _collision is null:
                // We do not know the peer's identifier yet: run OPEN on both and decide when one arrives (§6.8).
                _collision = connection;
                StartConnection(connection);
                return;
            case SessionState.OpenConfirm when _connection?.ReceivedOpen is { } open:
                if (KeepFirst(_connection, connection, open.BgpIdentifier))
                {
                    await connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
                }
                else
                {
                    LogCollision(Name, "the peer's new connection");
                    await _connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
                    Adopt(connection);
                }
                return;
            case SessionState.Established when _collision is null:
                // RFC 4271 §8.2.2: a second connection while Established is tracked until its OPEN says
                // what it is: a restarted peer (RFC 4724 §4.2) or the peer's own connect attempt that
                // lost the race to ours (§6.8). Deciding on the bare TCP connection would end a good
                // session whenever the peer also connects out (FRR does while it helps us restart).
                _collision = connection;
                StartConnection(connection);
                return;
            default:
                await connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
                return;
        }
    }

    private void Adopt(BgpConnection connection)
    {
        // Timers and state first, then the OPEN: whoever sees our OPEN sees the timers running.
        _connection = connection;
        StartTimer(SessionTimer.Hold, LargeHoldTime);
        ResetHold(LargeHoldTime);
        SetState(SessionState.OpenSent);
        StartConnection(connection);
    }

    private void StartConnection(BgpConnection connection)
    {
        connection.Start();
        connection.Send(SessionCodec.Open(LocalOpen()));
    }

    /// <summary>RFC 4271 §6.8: keep the connection opened by the speaker with the higher BGP identifier.</summary>
    private bool KeepFirst(BgpConnection first, BgpConnection second, uint remoteId)
    {
        var keepOutbound = LocalId > remoteId;
        return first.Outbound == keepOutbound || second.Outbound != keepOutbound;
    }

    private async Task MessageAsync(BgpConnection connection, BgpMessageType type, byte[] body)
    {
        if (ReferenceEquals(connection, _collision))
        {
            await CollisionMessageAsync(connection, type, body).ConfigureAwait(false);
            return;
        }
        if (!ReferenceEquals(connection, _connection))
        {
            return;
        }
        MessagesIn++;
        if (type == BgpMessageType.Notification)
        {
            var notification = SessionCodec.ReadNotification(body);
            LogNotificationReceived(Name, notification.ToString());
            await GoIdleAsync($"the peer sent NOTIFICATION: {notification}", null, keepStale: false).ConfigureAwait(false);
            return;
        }
        switch (State)
        {
            case SessionState.OpenSent when type == BgpMessageType.Open:
                await OpenReceivedAsync(connection, body).ConfigureAwait(false);
                break;
            case SessionState.OpenConfirm when type == BgpMessageType.Keepalive:
                EnterEstablished(connection);
                break;
            case SessionState.Established when type == BgpMessageType.Keepalive:
                ResetHold(Negotiated!.HoldTime);
                break;
            case SessionState.Established when type == BgpMessageType.Update:
                ResetHold(Negotiated!.HoldTime);
                UpdatesIn++;
                _owner.UpdateReceived(this, body);
                break;
            case SessionState.Established when type == BgpMessageType.RouteRefresh:
                await RouteRefreshReceivedAsync(body).ConfigureAwait(false);
                break;
            default:
                // RFC 6608 subcodes: which state the unexpected message arrived in.
                byte subcode = State switch { SessionState.OpenSent => 1, SessionState.OpenConfirm => 2, _ => 3 };
                await GoIdleAsync(NotificationText.Describe(NotificationCode.FiniteStateMachineError, subcode), new BgpNotification(NotificationCode.FiniteStateMachineError, subcode, [(byte)type]), keepStale: false).ConfigureAwait(false);
                break;
        }
    }

    private async Task RouteRefreshReceivedAsync(byte[] body)
    {
        if (!SessionCodec.TryReadRouteRefresh(body, out var family, out var error))
        {
            await GoIdleAsync($"the peer sent a malformed ROUTE-REFRESH: {error}", error, keepStale: false).ConfigureAwait(false);
        }
        else if (family is { } known && Negotiated!.Families.Contains(known))
        {
            _owner.RouteRefreshRequested(this, known);
        }
        else
        {
            LogRouteRefreshIgnored(Name, Convert.ToHexString(body));
        }
    }

    private async Task CollisionMessageAsync(BgpConnection connection, BgpMessageType type, byte[] body)
    {
        if (type != BgpMessageType.Open || !SessionCodec.TryReadOpen(body, out var open, out _) || open is null)
        {
            _collision = null;
            await connection.CloseAsync(null).ConfigureAwait(false);
            return;
        }
        connection.ReceivedOpen = open;
        if (State == SessionState.Established)
        {
            await EstablishedCollisionOpenAsync(connection, open, body).ConfigureAwait(false);
            return;
        }
        if (KeepFirst(_connection!, connection, open.BgpIdentifier))
        {
            _collision = null;
            await connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
            return;
        }
        LogCollision(Name, connection.Outbound ? "our connection" : "the peer's connection");
        var loser = _connection!;
        _connection = connection;
        _collision = null;
        await loser.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
        await OpenReceivedAsync(connection, body).ConfigureAwait(false);
    }

    /// <summary>
    /// The OPEN on a connection that arrived while the session is Established. RFC 4724 §4.2: when
    /// graceful restart was negotiated and the OPEN carries the Restart State bit (the peer has
    /// restarted) where the Established session's OPEN did not, the peer restarted since the session
    /// came up and the old TCP connection is dead: close it without a NOTIFICATION, keep the peer's
    /// routes as stale and go on with the new connection. Anything else is a connection collision
    /// with an Established session, and RFC 4271 §6.8 closes the new connection with Cease /
    /// Connection Collision Resolution. That includes a peer whose session came up while it was
    /// itself restarting (a router may set the bit in every OPEN for its restart time after it starts) and
    /// whose own connect attempt lost the race to ours. A peer that restarted without a telling
    /// OPEN is still found: its new incarnation resets the old connection at our next KEEPALIVE,
    /// or the hold timer expires.
    /// </summary>
    private async Task EstablishedCollisionOpenAsync(BgpConnection connection, OpenMessage open, byte[] body)
    {
        if (Negotiated?.PeerGracefulRestart is not { Restarting: false } || open.Capabilities.GracefulRestart is not { Restarting: true })
        {
            LogCollision(Name, "the Established session");
            _collision = null;
            await connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
            return;
        }
        _collision = null;
        _peerRestarting = true;
        await GoIdleAsync("the peer restarted (its new OPEN has the Restart State bit)", null, keepStale: true).ConfigureAwait(false);
        // Our OPEN went out when the connection arrived; carry on from OpenSent with the OPEN in hand.
        _connection = connection;
        StartTimer(SessionTimer.Hold, LargeHoldTime);
        ResetHold(LargeHoldTime);
        SetState(SessionState.OpenSent);
        await OpenReceivedAsync(connection, body).ConfigureAwait(false);
    }

    private async Task OpenReceivedAsync(BgpConnection connection, byte[] body)
    {
        if (!SessionCodec.TryReadOpen(body, out var open, out var decodeError) || open is null)
        {
            await GoIdleAsync($"the peer's OPEN is not acceptable: {decodeError}", decodeError, keepStale: false).ConfigureAwait(false);
            return;
        }
        var check = open.CheckPeer(Options.RemoteAs, LocalId, IsInternal);
        if (check.IsError)
        {
            var error = SessionCodec.FromError(check, body);
            var hint = check.Subcode == (byte)OpenMessageErrorSubcode.BadPeerAs ? $" (it says AS {open.Asn}, we expect {Options.RemoteAs})" : "";
            await GoIdleAsync($"the peer's OPEN is not acceptable: {error}{hint}", error, keepStale: false).ConfigureAwait(false);
            return;
        }
        connection.ReceivedOpen = open;
        if (_collision is { } other && !KeepFirst(connection, other, open.BgpIdentifier))
        {
            // The peer's other connection wins; it carries on once its OPEN arrives.
            LogCollision(Name, other.Outbound ? "our connection" : "the peer's connection");
            _connection = other;
            _collision = null;
            await connection.CloseAsync(BgpNotification.Cease(CeaseSubcode.ConnectionCollisionResolution)).ConfigureAwait(false);
            return;
        }
        var hold = NegotiatedHold(open.HoldTime);
        if (hold > TimeSpan.Zero)
        {
            StartTimer(SessionTimer.Keepalive, KeepaliveFor(hold));
            StartTimer(SessionTimer.Hold, hold);
            ResetHold(hold);
        }
        else
        {
            StopTimer(SessionTimer.Hold);
        }
        SetState(SessionState.OpenConfirm);
        connection.Send(SessionCodec.Keepalive());
    }

    private void EnterEstablished(BgpConnection connection)
    {
        var open = connection.ReceivedOpen!;
        var theirs = open.Capabilities;
        var hold = NegotiatedHold(open.HoldTime);
        var ours = LocalCapabilities();
        var families = ours.NegotiatedFamilies(theirs).Select(f => f.ToRouteFamily()).OfType<RouteFamily>().ToList();
        var extended = theirs.ExtendedMessage;
        if (extended)
        {
            connection.MaxMessageLength = 65535;
        }
        Negotiated = new Negotiated(
            open.Asn,
            open.BgpIdentifier,
            hold,
            hold > TimeSpan.Zero ? KeepaliveFor(hold) : TimeSpan.Zero,
            families,
            theirs.FourOctetAs is not null,
            theirs.RouteRefresh,
            extended,
            Options.GracefulRestart && _global.GracefulRestart.Enabled ? theirs.GracefulRestart : null,
            connection.Transport.Local,
            connection.Transport.Remote)
        {
            AddPathIpv4 = ours.NegotiatedAddPath(theirs, AfiSafi.Ipv4Unicast),
            AddPathIpv6 = ours.NegotiatedAddPath(theirs, AfiSafi.Ipv6Unicast),
        };
        ResetHold(hold);
        _idleHold.Reset();
        LastError = null;
        SetState(SessionState.Established);
        LogPeerUp(Name, connection.Transport.Remote.ToString(), hold.TotalSeconds, string.Join(",", families));
        _owner.Established(this, Negotiated);
    }

    private TimeSpan NegotiatedHold(ushort? remoteSeconds = null)
    {
        var local = (ushort)Options.HoldTime.TotalSeconds;
        var remote = remoteSeconds ?? _connection?.ReceivedOpen?.HoldTime ?? local;
        return TimeSpan.FromSeconds(Math.Min(local, remote));
    }

    private TimeSpan KeepaliveFor(TimeSpan hold) =>
        Options.KeepaliveTime is { } configured && configured < hold ? configured : hold / 3;

    private OpenMessage LocalOpen() =>
        OpenMessage.Create(LocalAs, (ushort)Options.HoldTime.TotalSeconds, LocalId, LocalCapabilities());

    private BgpCapabilities LocalCapabilities()
    {
        var gr = _global.GracefulRestart;
        GracefulRestartCapability? restart = null;
        if (gr.Enabled && Options.GracefulRestart)
        {
            // F bit: the node agent keeps our kernel routes across a restart, so forwarding survives.
            restart = new GracefulRestartCapability
            {
                Restarting = gr.Restarting,
                RestartTime = (ushort)Math.Min(GracefulRestartCapability.MaxRestartTime, gr.RestartTime.TotalSeconds),
                Families = [.. Options.Families.Select(f => new GracefulRestartFamily(f.ToAfiSafi(), ForwardingPreserved: true))],
            };
        }
        return new BgpCapabilities
        {
            Multiprotocol = [.. Options.Families.Select(f => f.ToAfiSafi())],
            RouteRefresh = true,
            ExtendedMessage = true,
            GracefulRestart = restart,
            // RFC 7911 §4: what we offer per family, Send, Receive or both; the session uses what both sides offered.
            AddPath = Options.AddPaths == AddPathMode.None ? [] : [.. Options.Families.Select(f => new AddPathFamily(f.ToAfiSafi(), Options.AddPaths))],
        };
    }
}
