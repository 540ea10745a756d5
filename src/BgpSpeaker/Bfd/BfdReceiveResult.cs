namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// What one received control packet did to a session: whether it was taken (a packet for another
/// discriminator, or arriving while administratively down, is not), the state change it caused,
/// whether a packet with the Final bit is owed at once (the peer polled, RFC 5880 §6.8.6), and
/// whether our transmit interval got shorter (the peer lowered its Required Min RX, or asked for
/// packets again), which §6.8.3 says is honoured immediately: the packet already scheduled at the
/// old, slower rate must be brought forward.
/// </summary>
public readonly record struct BfdReceiveResult(bool Accepted, BfdTransition? Transition, bool SendFinal, bool TransmitSooner = false)
{
    public static BfdReceiveResult Ignored => new(false, null, false);
}
