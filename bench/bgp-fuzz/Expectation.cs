using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>The ending(s) the RFCs allow for one case, and the prefixes a treat-as-withdraw must remove.</summary>
public sealed record Expectation(IReadOnlyList<Ending> Allowed, IReadOnlyList<BgpPrefix> WithdrawnPrefixes)
{
    public static Expectation Notification(NotificationCode code, byte subcode) => new([new Ending(EndingKind.Notification, code, subcode)], []);

    public static Expectation NotificationOrEstablished(NotificationCode code, byte subcode) =>
        new([new Ending(EndingKind.Notification, code, subcode), new Ending(EndingKind.Established, 0, 0)], []);

    public static Expectation Closed() => new([new Ending(EndingKind.Closed, 0, 0)], []);

    public static Expectation Established(IReadOnlyList<BgpPrefix> withdrawn) => new([new Ending(EndingKind.Established, 0, 0)], withdrawn);

    public bool Accepts(Ending actual) => Allowed.Contains(actual);

    public override string ToString() => string.Join(" or ", Allowed);
}
