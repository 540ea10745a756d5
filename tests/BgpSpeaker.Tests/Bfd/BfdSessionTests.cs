using RoutedNet.BgpSpeaker.Bfd;

namespace RoutedNet.BgpSpeaker.Tests.Bfd;

/// <summary>RFC 5880 §6.8 in asynchronous mode: the three-way handshake, detection, the slow rate while not Up, Poll/Final, jitter.</summary>
public sealed class BfdSessionTests
{
    private const uint Ours = 0x1111;
    private const uint Theirs = 0x2222;

    private static readonly BfdTimers Fast = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), 3);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static BfdControlPacket From(BfdState state, uint yourDiscriminator = Ours, uint txMicroseconds = 100_000, uint rxMicroseconds = 100_000, byte multiplier = 3, bool poll = false, bool final = false, bool demand = false) =>
        new(state, BfdDiagnostic.None, multiplier, Theirs, yourDiscriminator, txMicroseconds, rxMicroseconds, Poll: poll, Final: final, Demand: demand);

    private static BfdSession Up(BfdTimers? timers = null)
    {
        var session = new BfdSession(Ours, timers ?? Fast);
        session.Receive(From(BfdState.Down, yourDiscriminator: 0), Ms(0));
        session.Receive(From(BfdState.Up), Ms(1));
        Assert.Equal(BfdState.Up, session.State);
        return session;
    }

    [Fact]
    public void Handshake_DownThenInit_UpAndTheTransitionReported()
    {
        var session = new BfdSession(Ours, Fast);
        Assert.Equal((BfdState.Down, 0u), (session.ControlPacket().State, session.ControlPacket().YourDiscriminator));

        var first = session.Receive(From(BfdState.Down, yourDiscriminator: 0), Ms(0));
        Assert.Equal(new BfdTransition(BfdState.Down, BfdState.Init, BfdDiagnostic.None), first.Transition);
        Assert.Equal(Theirs, session.ControlPacket().YourDiscriminator);

        var second = session.Receive(From(BfdState.Up), Ms(5));
        Assert.Equal(new BfdTransition(BfdState.Init, BfdState.Up, BfdDiagnostic.None), second.Transition);
        Assert.False(second.Transition!.Value.IsFailure);
    }

    [Fact]
    public void Receive_PeerLowersItsRequiredMinRx_TransmitSoonerAtTheNewRate_SameValueAgainNot()
    {
        // The peer still on its slow timers: it wants our packets once a second.
        var session = new BfdSession(Ours, Fast);
        session.Receive(From(BfdState.Down, yourDiscriminator: 0, txMicroseconds: 1_000_000, rxMicroseconds: 1_000_000), Ms(0));
        session.Receive(From(BfdState.Up, txMicroseconds: 1_000_000, rxMicroseconds: 1_000_000), Ms(1));
        Assert.Equal(Ms(1000), session.TransmitInterval);

        var faster = session.Receive(From(BfdState.Up, rxMicroseconds: 100_000, poll: true), Ms(2));
        Assert.True(faster.TransmitSooner);
        Assert.Equal(Ms(100), session.TransmitInterval);

        Assert.False(session.Receive(From(BfdState.Up, rxMicroseconds: 100_000), Ms(3)).TransmitSooner);
        Assert.False(session.Receive(From(BfdState.Up, rxMicroseconds: 300_000), Ms(4)).TransmitSooner);
        Assert.Equal(Ms(300), session.TransmitInterval);
    }

    [Fact]
    public void Handshake_DownHearsInit_UpAtOnce()
    {
        var session = new BfdSession(Ours, Fast);

        var result = session.Receive(From(BfdState.Init), Ms(0));

        Assert.Equal(BfdState.Up, result.Transition!.Value.To);
    }

    [Fact]
    public void NotUp_AdvertisesOneSecondWhateverIsConfigured_UpSwitchesToTheConfiguredRateWithAPoll()
    {
        var session = new BfdSession(Ours, Fast);
        Assert.Equal(1_000_000u, session.ControlPacket().DesiredMinTxMicroseconds);
        Assert.Equal(100_000u, session.ControlPacket().RequiredMinRxMicroseconds);
        Assert.False(session.ControlPacket().Poll);

        session.Receive(From(BfdState.Init), Ms(0));

        Assert.Equal(100_000u, session.ControlPacket().DesiredMinTxMicroseconds);
        Assert.True(session.ControlPacket().Poll);
        // A faster rate is used at once.
        Assert.Equal(Ms(100), session.NextTransmitInterval(1)!.Value);

        // The peer's Final ends the Poll Sequence.
        session.Receive(From(BfdState.Up, final: true), Ms(10));
        Assert.False(session.ControlPacket().Poll);
    }

    [Fact]
    public void Detection_PeerMultiplierTimesTheSlowerOfOurRxAndItsTx_ThenDownWithDiagnostic1()
    {
        var session = Up();
        // The peer still sends at its slow rate: 3 × max(100 ms, 1 s).
        session.Receive(From(BfdState.Up, txMicroseconds: 1_000_000), Ms(100));
        Assert.Equal(Ms(3000), session.DetectionTime);
        // Its fast rate: 3 × max(100 ms, 100 ms), counted from the last packet.
        session.Receive(From(BfdState.Up, txMicroseconds: 100_000), Ms(200));
        Assert.Equal(Ms(300), session.DetectionTime);
        Assert.Equal(Ms(500), session.DetectionDeadline);

        Assert.Null(session.Expire(Ms(499)));
        var down = session.Expire(Ms(500));

        Assert.Equal(new BfdTransition(BfdState.Up, BfdState.Down, BfdDiagnostic.ControlDetectionTimeExpired), down);
        Assert.True(down!.Value.IsFailure);
        Assert.Equal(0u, session.RemoteDiscriminator);
        Assert.Equal(BfdDiagnostic.ControlDetectionTimeExpired, session.ControlPacket().Diagnostic);
        Assert.Equal(1_000_000u, session.ControlPacket().DesiredMinTxMicroseconds);
        Assert.Null(session.DetectionDeadline);
    }

    [Fact]
    public void Detection_OurReceiveIntervalSlowerThanThePeersTx_Wins()
    {
        var session = Up(new BfdTimers(Ms(100), Ms(300), 3));

        session.Receive(From(BfdState.Up, txMicroseconds: 100_000, multiplier: 5), Ms(10));

        Assert.Equal(Ms(1500), session.DetectionTime);
    }

    [Fact]
    public void Expire_SessionThatNeverCameUp_NotAFailure()
    {
        var session = new BfdSession(Ours, Fast);
        session.Receive(From(BfdState.Down, yourDiscriminator: 0, txMicroseconds: 1_000_000), Ms(0));
        Assert.Equal(BfdState.Init, session.State);

        var down = session.Expire(Ms(3000));

        Assert.Equal(BfdState.Down, down!.Value.To);
        Assert.False(down.Value.IsFailure);
    }

    [Fact]
    public void Expire_WhileDown_NothingToDetect()
    {
        var session = new BfdSession(Ours, Fast);

        Assert.Null(session.DetectionDeadline);
        Assert.Null(session.Expire(TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(BfdState.Down)]
    [InlineData(BfdState.AdminDown)]
    public void Up_PeerSignalsDownOrAdminDown_DownWithDiagnostic3(BfdState signalled)
    {
        var session = Up();

        var result = session.Receive(From(signalled), Ms(50));

        Assert.Equal(new BfdTransition(BfdState.Up, BfdState.Down, BfdDiagnostic.NeighborSignaledSessionDown), result.Transition);
        Assert.True(result.Transition!.Value.IsFailure);
    }

    [Fact]
    public void Up_PeerSaysInit_StaysUp()
    {
        var session = Up();

        Assert.Null(session.Receive(From(BfdState.Init), Ms(50)).Transition);
        Assert.Equal(BfdState.Up, session.State);
    }

    [Fact]
    public void Receive_PeerPolls_FinalOwedAndNeverWithPoll()
    {
        var session = Up();
        Assert.True(session.ControlPacket().Poll);

        var result = session.Receive(From(BfdState.Up, poll: true), Ms(50));

        Assert.True(result.SendFinal);
        var final = session.ControlPacket(final: true);
        Assert.True(final.Final);
        Assert.False(final.Poll);
    }

    [Fact]
    public void Receive_AnotherSessionsDiscriminator_Ignored()
    {
        var session = Up();

        var result = session.Receive(From(BfdState.Down, yourDiscriminator: 0x9999), Ms(50));

        Assert.False(result.Accepted);
        Assert.Equal(BfdState.Up, session.State);
    }

    [Fact]
    public void AdminDown_SentWithDiagnostic7_PeerIgnoredUntilEnabled()
    {
        var session = Up();

        var down = session.SetAdminDown(true);

        Assert.Equal(new BfdTransition(BfdState.Up, BfdState.AdminDown, BfdDiagnostic.AdministrativelyDown), down);
        Assert.Equal((BfdState.AdminDown, BfdDiagnostic.AdministrativelyDown), (session.ControlPacket().State, session.ControlPacket().Diagnostic));
        Assert.False(session.Receive(From(BfdState.Up), Ms(50)).Accepted);
        Assert.Equal(BfdState.AdminDown, session.State);

        Assert.Equal(BfdState.Down, session.SetAdminDown(false)!.Value.To);
        Assert.Equal(BfdState.Init, session.Receive(From(BfdState.Down, yourDiscriminator: 0), Ms(60)).Transition!.Value.To);
    }

    [Fact]
    public void NextTransmitInterval_SlowerOfOursAndThePeersRx_Jittered75To100Percent()
    {
        var session = Up();
        session.Receive(From(BfdState.Up, rxMicroseconds: 200_000, final: true), Ms(10));

        Assert.Equal(Ms(150), session.NextTransmitInterval(0)!.Value);
        Assert.Equal(Ms(200), session.NextTransmitInterval(1)!.Value);
    }

    [Fact]
    public void NextTransmitInterval_MultiplierOne_AtMost90Percent()
    {
        var session = Up(new BfdTimers(Ms(100), Ms(100), 1));

        Assert.Equal(Ms(75), session.NextTransmitInterval(0)!.Value);
        Assert.Equal(Ms(90), session.NextTransmitInterval(1)!.Value);
    }

    [Fact]
    public void NextTransmitInterval_PeerWantsNoPackets_OrRunsDemandWhileBothUp_None()
    {
        var session = Up();

        session.Receive(From(BfdState.Up, rxMicroseconds: 0), Ms(10));
        Assert.Null(session.NextTransmitInterval(0.5));

        session.Receive(From(BfdState.Up, demand: true), Ms(20));
        Assert.Null(session.NextTransmitInterval(0.5));
    }

    [Fact]
    public void NotUp_TransmitsAtTheSlowRate()
    {
        var session = new BfdSession(Ours, Fast);

        Assert.Equal(TimeSpan.FromSeconds(1), session.NextTransmitInterval(1)!.Value);
    }

    [Theory]
    [InlineData(100, 100, 0, "detectMultiplier")]
    [InlineData(5, 100, 3, "transmitInterval")]
    [InlineData(100, 70_000, 3, "receiveInterval")]
    public void Timers_OutOfRange_OneLineProblem(int txMs, int rxMs, byte multiplier, string named)
    {
        var timers = new BfdTimers(Ms(txMs), Ms(rxMs), multiplier);

        Assert.Contains(named, timers.Problem(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BfdSession(Ours, timers));
    }
    [Fact]
    public void Status_NegotiatedIntervals_TheSlowerOfEachPair()
    {
        var session = new BfdSession(Ours, new BfdTimers(Ms(100), Ms(200), 3));
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (session.ReceiveInterval, session.DetectionTime));

        session.Receive(From(BfdState.Down, yourDiscriminator: 0, txMicroseconds: 1_000_000, rxMicroseconds: 300_000), Ms(0));
        // Not Up: we send at the slow rate whatever is configured; the peer's slow rate is what we expect.
        Assert.Equal((Ms(1000), Ms(1000), Ms(3000)), (session.TransmitInterval, session.ReceiveInterval, session.DetectionTime));

        session.Receive(From(BfdState.Up, txMicroseconds: 50_000, rxMicroseconds: 300_000), Ms(10));
        Assert.Equal(BfdState.Up, session.State);
        // Up: ours 100 ms vs its Required Min RX 300 ms; its 50 ms vs our Required Min RX 200 ms.
        Assert.Equal((Ms(300), Ms(200), Ms(600)), (session.TransmitInterval, session.ReceiveInterval, session.DetectionTime));
    }

    [Fact]
    public void Status_UpsDownsAndLastDiagnostic_CountFlapsNotTheHandshake()
    {
        var session = new BfdSession(Ours, Fast);
        session.Receive(From(BfdState.Down, yourDiscriminator: 0), Ms(0));
        Assert.Equal((0L, 0L, BfdDiagnostic.None), (session.Ups, session.Downs, session.LastDownDiagnostic));

        session.Receive(From(BfdState.Up), Ms(1));
        session.Expire(Ms(400));
        Assert.Equal((1L, 1L, BfdDiagnostic.ControlDetectionTimeExpired), (session.Ups, session.Downs, session.LastDownDiagnostic));

        session.Receive(From(BfdState.Init, yourDiscriminator: 0), Ms(500));
        Assert.Equal(BfdDiagnostic.None, session.LocalDiagnostic);
        session.Receive(From(BfdState.Down), Ms(510));
        // Up again, then the peer's Down: the last diagnostic follows, the earlier one is history.
        Assert.Equal((2L, 2L, BfdDiagnostic.NeighborSignaledSessionDown), (session.Ups, session.Downs, session.LastDownDiagnostic));
    }

    [Fact]
    public void Status_InitExpires_LastDiagnosticSetButNoDownCounted()
    {
        var session = new BfdSession(Ours, Fast);
        session.Receive(From(BfdState.Down, yourDiscriminator: 0), Ms(0));

        session.Expire(Ms(5000));

        Assert.Equal((0L, 0L, BfdDiagnostic.ControlDetectionTimeExpired), (session.Ups, session.Downs, session.LastDownDiagnostic));
    }
}
