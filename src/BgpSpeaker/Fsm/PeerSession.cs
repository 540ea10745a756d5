using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RoutedNet.Common;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>
/// The RFC 4271 §8 state machine of one peer. Every input (timer, connection, message, command) is
/// an event on one channel and is handled by the session's own task, so state needs no locks.
/// Up to two connections exist at once while a collision (§6.8) is being resolved.
/// </summary>
internal sealed partial class PeerSession : IAsyncDisposable
{
    private static readonly TimeSpan LargeHoldTime = TimeSpan.FromMinutes(4);   // §8.2.2: hold timer while waiting for OPEN
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BgpGlobalOptions _global;
    private readonly ISessionOwner _owner;
    private readonly IBgpTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectPacer? _pacer;
    private readonly ITimer?[] _timers = new ITimer?[4];
    private readonly int[] _generations = new int[4];
    private readonly Task _run;
    private BgpConnection? _connection;
    private BgpConnection? _collision;
    private CancellationTokenSource? _connecting;
    private long _holdDeadline;
    /// <summary>
    /// RFC 4271 §8.1.1 DampPeerOscillations: each failure in a row doubles the IdleHold wait, up to
    /// 16 times the configured one, so a peer that keeps failing is not hammered; Established resets it.
    /// </summary>
    private readonly Backoff _idleHold;
    private bool _autoStart = true;
    private bool _peerRestarting;

    public PeerSession(BgpGlobalOptions global, BgpPeerOptions options, ISessionOwner owner, IBgpTransport transport, TimeProvider time, ILogger logger, ConnectPacer? pacer = null)
    {
        _pacer = pacer;
        _global = global;
        Options = options;
        _idleHold = new Backoff(options.IdleHoldTime, options.IdleHoldTime * 16);
        _owner = owner;
        _transport = transport;
        _time = time;
        _logger = logger;
        Since = time.GetUtcNow();
        _run = Task.Run(RunAsync);
    }

    public BgpPeerOptions Options { get; set; }

    public string Name => Options.Description ?? Options.Address.ToString();

    public SessionState State { get; private set; }

    public DateTimeOffset Since { get; private set; }

    public string? LastError { get; private set; }

    public Negotiated? Negotiated { get; private set; }

    public long MessagesIn { get; private set; }

    public long MessagesOut => _connection?.MessagesOut ?? 0;

    public long UpdatesIn { get; private set; }

    public long UpdatesOut { get; private set; }

    /// <summary>Times this session left Established; counted here, the one place every state change passes.</summary>
    public long Flaps { get; private set; }

    public bool IsInternal => Options.RemoteAs == LocalAs;

    /// <summary>The AS we are on this session: the peer's own setting, else the speaker's.</summary>
    public uint LocalAs => Options.LocalAs ?? _global.LocalAs;

    private uint LocalId => BinaryPrimitives.ReadUInt32BigEndian(_global.RouterId.GetAddressBytes());

    public void Post(SessionEvent sessionEvent) => _events.Writer.TryWrite(sessionEvent);

    /// <summary>A connection our listener accepted from this peer's address.</summary>
    public void Accept(TransportConnection connection) => Post(new SessionEvent.ConnectionUp(connection));

    /// <summary>Queues encoded UPDATEs (<paramref name="messages"/> of them, back to back) on the Established connection.</summary>
    public void SendUpdates(byte[] bytes, int messages) => SendUpdates(new ArraySegment<byte>(bytes), messages);

    /// <summary>Queues encoded UPDATEs that lie back to back in part of a shared array (<see cref="Rib.EncodedRun"/>).</summary>
    public void SendUpdates(ArraySegment<byte> bytes, int messages)
    {
        if (State == SessionState.Established && _connection is { } connection)
        {
            connection.Send(bytes, messages);
            UpdatesOut += messages;
        }
    }

    public void SendRouteRefresh(RouteFamily family)
    {
        if (State == SessionState.Established && Negotiated is { RouteRefresh: true } && _connection is { } connection)
        {
            connection.Send(SessionCodec.RouteRefresh(family));
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(notify: true);

    /// <summary>
    /// Ends the session for good: with Cease / Administrative Shutdown, or, when the speaker stops
    /// only to restart (<paramref name="notify"/> false), by closing the connection without a
    /// NOTIFICATION. RFC 4724 §4.2: a peer that negotiated graceful restart then keeps our routes
    /// as stale until we are back, where a NOTIFICATION would make it drop them at once (BIRD 2.0
    /// has no RFC 8538, which would allow a NOTIFICATION too).
    /// </summary>
    public async ValueTask CloseAsync(bool notify)
    {
        Post(new SessionEvent.Stop(CeaseSubcode.AdministrativeShutdown, Restart: false, Notify: notify));
        _events.Writer.TryComplete();
        await _run.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        Post(new SessionEvent.Start());
        await foreach (var sessionEvent in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(sessionEvent).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a bug in one event must end this session, never the speaker
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogInternalError(Name, e);
                await GoIdleAsync($"internal error: {e.Message}", BgpNotification.Cease(CeaseSubcode.Unspecific), keepStale: false).ConfigureAwait(false);
            }
        }
        await GoIdleAsync("stopped", null, keepStale: false).ConfigureAwait(false);
        foreach (var timer in _timers)
        {
            timer?.Dispose();
        }
    }

    private Task HandleAsync(SessionEvent sessionEvent) => sessionEvent switch
    {
        SessionEvent.Start => StartAsync(),
        SessionEvent.Stop stop => StopAsync(stop),
        SessionEvent.TimerFired fired when fired.Generation == _generations[(int)fired.Timer] => TimerAsync(fired.Timer),
        SessionEvent.TimerFired => Task.CompletedTask,
        SessionEvent.ConnectionUp up => ConnectionUpAsync(up.Connection, up.Lease),
        SessionEvent.ConnectFailed failed => ConnectFailedAsync(failed.Reason),
        SessionEvent.MessageReceived message => MessageAsync(message.Connection, message.Type, message.Body),
        SessionEvent.ConnectionClosed closed => ConnectionClosedAsync(closed),
        SessionEvent.Fail fail => FailAsync(fail),
        _ => Task.CompletedTask,
    };

    private Task StartAsync()
    {
        if (State != SessionState.Idle)
        {
            return Task.CompletedTask;
        }
        _autoStart = true;
        StartTimer(SessionTimer.ConnectRetry, Options.ConnectRetryTime);
        if (Options.Passive)
        {
            SetState(SessionState.Active);
        }
        else
        {
            SetState(SessionState.Connect);
            BeginConnect();
        }
        return Task.CompletedTask;
    }

    private async Task StopAsync(SessionEvent.Stop stop)
    {
        _autoStart = stop.Restart;
        if (!stop.Notify)
        {
            await GoIdleAsync("closed without a NOTIFICATION for a restart of this speaker", null, keepStale: true, isError: false).ConfigureAwait(false);
            return;
        }
        await GoIdleAsync(NotificationText.Describe(NotificationCode.Cease, (byte)stop.CeaseSubcode), BgpNotification.Cease(stop.CeaseSubcode), keepStale: false, isError: false).ConfigureAwait(false);
        if (stop.Restart)
        {
            await StartAsync().ConfigureAwait(false);
        }
    }

    private async Task FailAsync(SessionEvent.Fail fail)
    {
        if (!fail.StayDown)
        {
            await GoIdleAsync(fail.Notification.ToString(), fail.Notification, keepStale: false).ConfigureAwait(false);
            return;
        }
        _autoStart = false;
        var until = fail.RestartAfter is { } after ? $"restarting in {after.TotalSeconds:0} s" : "until an operator resets the peer";
        await GoIdleAsync($"{fail.Notification}; the session stays down {until}", fail.Notification, keepStale: false).ConfigureAwait(false);
        if (fail.RestartAfter is { } restartAfter)
        {
            _autoStart = true;
            StartTimer(SessionTimer.IdleHold, restartAfter);
        }
    }

    private void BeginConnect()
    {
        _connecting?.Cancel();
        _connecting?.Dispose();
        var cancel = _connecting = new CancellationTokenSource();
        var request = new ConnectRequest(
            new IPEndPoint(Options.Address, Options.RemotePort),
            Options.LocalAddress,
            Options.Password,
            OutgoingTtl(),
            MinimumTtl());
        _ = Task.Run(async () =>
        {
            IDisposable? lease = null;
            try
            {
                lease = _pacer is null ? null : await _pacer.AcquireAsync(cancel.Token).ConfigureAwait(false);
                var connection = await _transport.ConnectAsync(request, cancel.Token).ConfigureAwait(false);
                if (cancel.IsCancellationRequested)
                {
                    lease?.Dispose();
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return;
                }
                Post(new SessionEvent.ConnectionUp(connection, lease));
            }
            catch (OperationCanceledException)
            {
                // A newer attempt or a stop replaced this one.
                lease?.Dispose();
            }
#pragma warning disable CA1031 // every connect failure is an FSM event (TcpConnectionFails)
            catch (Exception e)
#pragma warning restore CA1031
            {
                lease?.Dispose();
                if (!cancel.IsCancellationRequested)
                {
                    Post(new SessionEvent.ConnectFailed(e.Message));
                }
            }
        });
    }

    /// <summary>eBGP peers are one hop away unless multihop is set (TTL 1); GTSM sends 255 (RFC 5082 §3).</summary>
    internal int? OutgoingTtl() =>
        Options.TtlSecurityHops is not null ? 255 : Options.MultihopTtl ?? (IsInternal ? null : 1);

    internal int? MinimumTtl() => Options.TtlSecurityHops is { } hops ? 256 - hops : null;

    private async Task TimerAsync(SessionTimer timer)
    {
        switch (timer)
        {
            case SessionTimer.IdleHold when State == SessionState.Idle && _autoStart:
                await StartAsync().ConfigureAwait(false);
                break;
            case SessionTimer.ConnectRetry when State is SessionState.Connect or SessionState.Active:
                StartTimer(SessionTimer.ConnectRetry, Options.ConnectRetryTime);
                if (!Options.Passive)
                {
                    SetState(SessionState.Connect);
                    BeginConnect();
                }
                break;
            case SessionTimer.Hold when State is SessionState.OpenSent or SessionState.OpenConfirm or SessionState.Established:
                var remaining = _holdDeadline - _time.GetTimestamp();
                if (remaining > 0)
                {
                    StartTimer(SessionTimer.Hold, _time.GetElapsedTime(0, remaining));
                    break;
                }
                // RFC 4724 keeps routes on a lost session; a silent peer is one (RFC 8538 §4 does the same).
                await GoIdleAsync("hold timer expired: the peer sent nothing for the hold time", new BgpNotification(NotificationCode.HoldTimerExpired, 0), keepStale: State == SessionState.Established).ConfigureAwait(false);
                break;
            case SessionTimer.Keepalive when State is SessionState.OpenConfirm or SessionState.Established:
                StartTimer(SessionTimer.Keepalive, Negotiated?.KeepaliveTime ?? KeepaliveFor(NegotiatedHold()));
                _connection?.Send(SessionCodec.Keepalive());
                break;
        }
    }

    private Task ConnectFailedAsync(string reason)
    {
        if (State == SessionState.Connect)
        {
            LogConnectFailed(Name, reason);
            LastError = $"cannot connect: {reason}";
            SetState(SessionState.Active);
        }
        return Task.CompletedTask;
    }

    private async Task ConnectionClosedAsync(SessionEvent.ConnectionClosed closed)
    {
        if (ReferenceEquals(closed.Connection, _collision))
        {
            _collision = null;
            await closed.Connection.DisposeAsync().ConfigureAwait(false);
            return;
        }
        if (!ReferenceEquals(closed.Connection, _connection))
        {
            return;
        }
        // A bad header is the peer's error: tell it (RFC 4271 §6.1). A lost TCP connection keeps
        // the routes when graceful restart was negotiated (RFC 4724 §4.2).
        await GoIdleAsync(closed.Reason, closed.HeaderError, keepStale: closed.HeaderError is null && State == SessionState.Established).ConfigureAwait(false);
    }

    private void SetState(SessionState state)
    {
        if (State != state)
        {
            if (State == SessionState.Established)
            {
                Flaps++;
            }
            LogStateChange(Name, State, state);
            State = state;
            Since = _time.GetUtcNow();
        }
    }

    private void StartTimer(SessionTimer timer, TimeSpan due)
    {
        var index = (int)timer;
        var generation = ++_generations[index];
        _timers[index]?.Dispose();
        _timers[index] = _time.CreateTimer(
            _ => Post(new SessionEvent.TimerFired(timer, generation)), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void StopTimer(SessionTimer timer)
    {
        var index = (int)timer;
        ++_generations[index];
        _timers[index]?.Dispose();
        _timers[index] = null;
    }

    private void ResetHold(TimeSpan hold)
    {
        if (hold > TimeSpan.Zero)
        {
            _holdDeadline = _time.GetTimestamp() + (long)(hold.TotalSeconds * _time.TimestampFrequency);
        }
    }

    private async Task GoIdleAsync(string reason, BgpNotification? send, bool keepStale, bool isError = true)
    {
        var wasEstablished = State == SessionState.Established;
        _connecting?.Cancel();
        _connecting?.Dispose();
        _connecting = null;
        StopTimer(SessionTimer.ConnectRetry);
        StopTimer(SessionTimer.Hold);
        StopTimer(SessionTimer.Keepalive);
        if (_collision is { } collision)
        {
            _collision = null;
            await collision.CloseAsync(send).ConfigureAwait(false);
        }
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.CloseAsync(State is SessionState.OpenSent or SessionState.OpenConfirm or SessionState.Established ? send : null).ConfigureAwait(false);
        }
        if (State == SessionState.Idle)
        {
            return;
        }
        if (isError)
        {
            LastError = reason;
            _idleHold.Next();
        }
        if (wasEstablished)
        {
            LogPeerDown(Name, reason, keepStale && Negotiated?.PeerGracefulRestart is not null);
            _owner.Down(this, keepStale && Negotiated?.PeerGracefulRestart is not null, reason);
        }
        else if (isError)
        {
            LogSessionFailed(Name, State, reason);
        }
        SetState(SessionState.Idle);
        if (_autoStart)
        {
            StartTimer(SessionTimer.IdleHold, _peerRestarting ? TimeSpan.Zero : _idleHold.Current);
        }
        _peerRestarting = false;
    }
}
