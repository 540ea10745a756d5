namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// One BFD session in asynchronous mode (RFC 5880 §6.8), as a state machine without sockets or
/// clocks: the caller passes the monotonic time with every event, sends what
/// <see cref="ControlPacket"/> builds every <see cref="NextTransmitInterval"/> (and at once when a
/// receive asks for a Final), and calls <see cref="Expire"/> at <see cref="DetectionDeadline"/>.
/// That keeps every rule testable to the microsecond, and lets the runtime put the timers on a
/// thread of their own. Demand mode and the echo function are not used by this side (D = 0,
/// Required Min Echo RX = 0); a peer in Demand mode is honoured by not sending periodically.
/// </summary>
public sealed class BfdSession
{
    /// <summary>§6.8.3: while not Up, a system advertises a Desired Min TX of at least one second.</summary>
    public static readonly TimeSpan SlowTransmit = TimeSpan.FromSeconds(1);

    private readonly BfdTimers _timers;
    private readonly bool _controlPlaneIndependent;

    // The Desired Min TX now advertised, and the one used for the transmit interval (which, when
    // the advertised value grows while Up, waits for the Poll Sequence to end: §6.8.3).
    private TimeSpan _advertisedTx;
    private TimeSpan _usedTx;
    private bool _pollActive;

    public BfdSession(uint localDiscriminator, BfdTimers timers, bool controlPlaneIndependent = false)
    {
        ArgumentNullException.ThrowIfNull(timers);
        if (localDiscriminator == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(localDiscriminator), "a local discriminator is never 0 (RFC 5880 §6.8.1)");
        }
        if (timers.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(timers));
        }
        LocalDiscriminator = localDiscriminator;
        _timers = timers;
        _controlPlaneIndependent = controlPlaneIndependent;
        _advertisedTx = _usedTx = Max(timers.DesiredMinTx, SlowTransmit);
    }

    public uint LocalDiscriminator { get; }

    public BfdState State { get; private set; } = BfdState.Down;

    public BfdDiagnostic LocalDiagnostic { get; private set; }

    /// <summary>The peer's discriminator; 0 until heard from, and again once the path was declared down (§6.8.1).</summary>
    public uint RemoteDiscriminator { get; private set; }

    public BfdState RemoteState { get; private set; } = BfdState.Down;

    /// <summary>The peer's C bit: 0 means its BFD shares fate with its control plane, so its Down during a graceful restart is a restart (RFC 5882 §4.3.2).</summary>
    public bool RemoteControlPlaneIndependent { get; private set; }

    /// <summary>When the path is declared down if nothing more arrives; null when no detection runs (not Init/Up).</summary>
    public TimeSpan? DetectionDeadline { get; private set; }

    /// <summary>The detection time in force (§6.8.4): the peer's multiplier × the slower of our receive and its transmit interval.</summary>
    public TimeSpan DetectionTime { get; private set; }

    /// <summary>Times the session came Up.</summary>
    public long Ups { get; private set; }

    /// <summary>Times the session went from Up to Down (a failure, the peer's Down, or AdminDown).</summary>
    public long Downs { get; private set; }

    /// <summary>Why the session last went down from Init or Up (what an operator asks after a flap); None until it has.</summary>
    public BfdDiagnostic LastDownDiagnostic { get; private set; }

    /// <summary>
    /// The interval between our periodic packets now, before jitter (§6.8.7): the slower of the
    /// Desired Min TX in use and the peer's Required Min RX; zero when the peer wants none.
    /// </summary>
    public TimeSpan TransmitInterval => RemoteMinRx == TimeSpan.Zero ? TimeSpan.Zero : Max(_usedTx, RemoteMinRx);

    /// <summary>The interval at which the peer's packets are expected (§6.8.4): the slower of our Required Min RX and its Desired Min TX; zero until heard from.</summary>
    public TimeSpan ReceiveInterval { get; private set; }

    private TimeSpan RemoteMinRx { get; set; } = TimeSpan.FromTicks(10); // 1 µs until heard from (§6.8.1)

    private bool RemoteDemand { get; set; }

    /// <summary>
    /// Applies a parsed packet addressed to this session (the caller demultiplexed it by Your
    /// Discriminator, or by address while that is 0) received at <paramref name="now"/>.
    /// </summary>
    public BfdReceiveResult Receive(in BfdControlPacket packet, TimeSpan now)
    {
        if (packet.YourDiscriminator != 0 && packet.YourDiscriminator != LocalDiscriminator)
        {
            return BfdReceiveResult.Ignored;
        }
        var transmitBefore = TransmitInterval;
        RemoteDiscriminator = packet.MyDiscriminator;
        RemoteState = packet.State;
        RemoteDemand = packet.Demand;
        RemoteControlPlaneIndependent = packet.ControlPlaneIndependent;
        RemoteMinRx = Microseconds(packet.RequiredMinRxMicroseconds);
        if (_pollActive && packet.Final)
        {
            _pollActive = false;
            _usedTx = _advertisedTx;
        }
        ReceiveInterval = Max(_timers.RequiredMinRx, Microseconds(packet.DesiredMinTxMicroseconds));
        DetectionTime = ReceiveInterval * packet.DetectMultiplier;
        if (State == BfdState.AdminDown)
        {
            return BfdReceiveResult.Ignored;
        }

        var from = State;
        if (packet.State == BfdState.AdminDown)
        {
            if (State != BfdState.Down)
            {
                GoDown(BfdDiagnostic.NeighborSignaledSessionDown);
            }
        }
        else if (State == BfdState.Down)
        {
            if (packet.State == BfdState.Down)
            {
                State = BfdState.Init;
            }
            else if (packet.State == BfdState.Init)
            {
                GoUp();
            }
        }
        else if (State == BfdState.Init)
        {
            if (packet.State is BfdState.Init or BfdState.Up)
            {
                GoUp();
            }
        }
        else if (packet.State == BfdState.Down)
        {
            GoDown(BfdDiagnostic.NeighborSignaledSessionDown);
        }
        DetectionDeadline = State is BfdState.Init or BfdState.Up ? now + DetectionTime : null;
        var transmitAfter = TransmitInterval;
        var sooner = transmitAfter != TimeSpan.Zero && (transmitBefore == TimeSpan.Zero || transmitAfter < transmitBefore);
        return new BfdReceiveResult(true, State == from ? null : new BfdTransition(from, State, LocalDiagnostic), packet.Poll, sooner);
    }

    /// <summary>Declares the path down when <paramref name="now"/> has reached the detection deadline (§6.8.4); the transition, or null.</summary>
    public BfdTransition? Expire(TimeSpan now)
    {
        if (DetectionDeadline is not { } deadline || now < deadline)
        {
            return null;
        }
        var from = State;
        GoDown(BfdDiagnostic.ControlDetectionTimeExpired);
        RemoteDiscriminator = 0;
        return new BfdTransition(from, State, LocalDiagnostic);
    }

    /// <summary>Takes the session administratively down (it then tells the peer so, and ignores what it hears) or back.</summary>
    public BfdTransition? SetAdminDown(bool down)
    {
        var from = State;
        if (down && State != BfdState.AdminDown)
        {
            GoDown(BfdDiagnostic.AdministrativelyDown);
            State = BfdState.AdminDown;
        }
        else if (!down && State == BfdState.AdminDown)
        {
            State = BfdState.Down;
        }
        return State == from ? null : new BfdTransition(from, State, LocalDiagnostic);
    }

    /// <summary>
    /// The time to the next periodic packet (§6.8.7): the slower of our transmit interval and the
    /// peer's receive interval, less a jitter of 0-25 % (10-25 % with a multiplier of 1) drawn from
    /// <paramref name="uniform"/> in [0, 1). Null when no periodic packet is due: the peer asked
    /// for none (Required Min RX 0) or runs Demand mode with the session Up on both sides.
    /// </summary>
    public TimeSpan? NextTransmitInterval(double uniform)
    {
        if (RemoteMinRx == TimeSpan.Zero || (RemoteDemand && State == BfdState.Up && RemoteState == BfdState.Up))
        {
            return null;
        }
        var interval = Max(_usedTx, RemoteMinRx);
        var factor = _timers.DetectMultiplier == 1 ? 0.75 + (0.15 * uniform) : 0.75 + (0.25 * uniform);
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }

    /// <summary>The control packet to send now (§6.8.7); <paramref name="final"/> when answering a Poll.</summary>
    public BfdControlPacket ControlPacket(bool final = false) => new(
        State,
        LocalDiagnostic,
        _timers.DetectMultiplier,
        LocalDiscriminator,
        RemoteDiscriminator,
        ToMicroseconds(_advertisedTx),
        ToMicroseconds(_timers.RequiredMinRx),
        RequiredMinEchoRxMicroseconds: 0,
        Poll: _pollActive && !final,
        Final: final,
        ControlPlaneIndependent: _controlPlaneIndependent);

    // Up: the configured transmit rate replaces the slow one, announced by a Poll Sequence.
    private void GoUp()
    {
        Ups++;
        State = BfdState.Up;
        LocalDiagnostic = BfdDiagnostic.None;
        Advertise(_timers.DesiredMinTx);
    }

    // Down: back to the slow rate (no poll: a session not Up may change it at once).
    private void GoDown(BfdDiagnostic diagnostic)
    {
        if (State == BfdState.Up)
        {
            Downs++;
        }
        if (State is BfdState.Up or BfdState.Init)
        {
            LastDownDiagnostic = diagnostic;
        }
        State = BfdState.Down;
        LocalDiagnostic = diagnostic;
        DetectionDeadline = null;
        _pollActive = false;
        _advertisedTx = _usedTx = Max(_timers.DesiredMinTx, SlowTransmit);
    }

    private void Advertise(TimeSpan desiredMinTx)
    {
        if (desiredMinTx == _advertisedTx)
        {
            return;
        }
        // A faster rate may be used at once; a slower one only once the peer has seen it (§6.8.3).
        if (desiredMinTx < _usedTx)
        {
            _usedTx = desiredMinTx;
        }
        _advertisedTx = desiredMinTx;
        _pollActive = true;
    }

    private static TimeSpan Microseconds(uint value) => TimeSpan.FromTicks(value * 10L);

    private static uint ToMicroseconds(TimeSpan value) => (uint)(value.Ticks / 10);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
