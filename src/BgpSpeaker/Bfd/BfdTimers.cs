namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// A session's configured timers (BGPPeer <c>spec.bfd</c>: transmitInterval, receiveInterval,
/// detectMultiplier): how often this side wants to send, how often it can take packets, and how
/// many missed intervals of the peer's declare the path down (RFC 5880 §6.8.1
/// bfd.DesiredMinTxInterval, bfd.RequiredMinRxInterval, bfd.DetectMult).
/// </summary>
public sealed record BfdTimers(TimeSpan DesiredMinTx, TimeSpan RequiredMinRx, byte DetectMultiplier)
{
    /// <summary>MetalLB's and FRR's defaults: 300 ms each way, 3 missed.</summary>
    public static BfdTimers Default { get; } = new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300), 3);

    /// <summary>The one-line reason these timers cannot be used, or null.</summary>
    public string? Problem() =>
        DetectMultiplier == 0 ? "detectMultiplier must be at least 1"
        : DesiredMinTx < TimeSpan.FromMilliseconds(10) || DesiredMinTx > TimeSpan.FromMinutes(1) ? $"transmitInterval {DesiredMinTx.TotalMilliseconds} ms is outside 10-60000 ms"
        : RequiredMinRx < TimeSpan.FromMilliseconds(10) || RequiredMinRx > TimeSpan.FromMinutes(1) ? $"receiveInterval {RequiredMinRx.TotalMilliseconds} ms is outside 10-60000 ms"
        : null;
}
