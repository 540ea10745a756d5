using System.Net;
using System.Threading.Channels;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// What the agent needs from a BGP implementation (the built-in speaker, or GoBGP over gRPC),
/// in whole-desired-set terms so the host never tracks deltas of its own (Calico's confd
/// rewrites the whole BIRD config for the same reason): the peers it should have, the prefixes it
/// should originate; learned best routes come back as a stream for the route reconciler.
/// </summary>
public interface IBgpBackend : IAsyncDisposable
{
    /// <summary>"builtin" or "gobgp", as `--bgp-backend` names it.</summary>
    string Name { get; }

    /// <summary>What this backend does not do that the built-in speaker does, each in one sentence for `node status`.</summary>
    IReadOnlyList<string> Limits { get; }

    Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken);

    /// <summary>
    /// Adds, changes and removes sessions to match <paramref name="peers"/>; unchanged sessions are
    /// untouched. Learned routes are taken as <paramref name="import"/> says.
    /// </summary>
    Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken);

    /// <summary>Originates exactly <paramref name="prefixes"/> (our blocks and borrowed /32s), withdrawing the rest.</summary>
    Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken);

    /// <summary>
    /// Graceful shutdown (RFC 8326), a drain's first step: while on, every route sent to every peer
    /// carries GRACEFUL_SHUTDOWN 65535:0 (and LOCAL_PREF 0 towards iBGP peers), so peers that lower
    /// its preference move traffic away before the withdraw. A backend that cannot tag routes does
    /// nothing (it says so in <see cref="Limits"/>); the drain then only withdraws.
    /// </summary>
    Task SetGracefulShutdownAsync(bool on, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Learned best routes, in order; a single consumer (the BGP backend host).</summary>
    ChannelReader<IReadOnlyList<BestRoute>> BestRoutes { get; }

    /// <summary>
    /// Null while the backend defers route selection after a restart; then how many batches of
    /// <see cref="BestRoutes"/> (counted since the backend was made) precede the moment the
    /// re-learned routes were all selected: once the host has applied that many, an unexplained
    /// BGP route is stale. A backend that cannot tell says 0 (the host's other conditions decide).
    /// </summary>
    long? RoutesSelectedAfter { get; }

    Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken);

    /// <summary>Ends the session with <paramref name="peer"/> (Cease / Administrative Reset) and starts it again; clears a max-prefix trip.</summary>
    Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="peer"/> to send its routes again (RFC 2918), the session staying up.</summary>
    Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the node out of BGP (a drain, a new identity): withdraws what we originate, then
    /// closes every session with Cease / Administrative Shutdown, so peers drop our routes at once.
    /// </summary>
    Task ShutdownAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The agent stops to be restarted (SIGTERM for an upgrade, a new pod): nothing is withdrawn
    /// and no NOTIFICATION is sent, so peers with graceful restart keep our routes as stale while
    /// the kernel keeps forwarding, until the next agent has announced them again.
    /// </summary>
    Task StopForRestartAsync(CancellationToken cancellationToken);
}
