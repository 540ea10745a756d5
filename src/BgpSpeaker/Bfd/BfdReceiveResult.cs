namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// What one received control packet did to a session: whether it was taken (a packet for another
/// discriminator, or arriving while administratively down, is not), the state change it caused,
/// and whether a packet with the Final bit is owed at once (the peer polled, RFC 5880 §6.8.6).
/// </summary>
public readonly record struct BfdReceiveResult(bool Accepted, BfdTransition? Transition, bool SendFinal)
{
    public static BfdReceiveResult Ignored => new(false, null, false);
}
