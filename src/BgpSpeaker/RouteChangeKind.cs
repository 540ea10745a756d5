namespace RoutedNet.BgpSpeaker;

/// <summary>What happened to the best route of a prefix, in kernel terms.</summary>
public enum RouteChangeKind
{
    /// <summary>A prefix is now reachable through a learned route: install it (`ip route add`).</summary>
    Add,

    /// <summary>The next hops changed: `ip route replace`.</summary>
    Replace,

    /// <summary>No learned route is left (or our own origination now wins): `ip route del`.</summary>
    Withdraw,
}
