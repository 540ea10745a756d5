namespace RoutedNet.BgpSpeaker.Config;

/// <summary>Graceful restart (RFC 4724) in both roles.</summary>
public sealed record GracefulRestartOptions
{
    /// <summary>Announce the capability (and so help peers that restart).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long peers keep our routes when we go away (RFC 4724 §3, at most 4095 s).</summary>
    public TimeSpan RestartTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// We are coming back from a restart with forwarding state kept (the node agent knows: its
    /// kernel routes survived). Sets the Restart State and Forwarding State bits and defers
    /// best-path changes until every peer has sent End-of-RIB or <see cref="SelectionDeferralTime"/> ends.
    /// </summary>
    public bool Restarting { get; init; }

    /// <summary>Upper bound on waiting for peers' End-of-RIB after our own restart (RFC 4724 §4.1).</summary>
    public TimeSpan SelectionDeferralTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a restarted peer's stale routes may wait for its End-of-RIB once it is back.</summary>
    public TimeSpan StalePathTime { get; init; } = TimeSpan.FromSeconds(360);
}
