using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Node <c>spec.drain</c>, written by `routednetctl node drain NODE` and removed by `node uncordon
/// NODE`: the node is being taken out of service. From <see cref="Since"/> for
/// <see cref="GracefulShutdownSeconds"/> its agent announces every route with GRACEFUL_SHUTDOWN
/// (65535:0, RFC 8326) so peers move traffic elsewhere while it still forwards; after that it
/// withdraws everything and closes its sessions (Cease / Administrative Shutdown), and stays out,
/// across restarts of the agent, until the field is gone. Kept in the datastore rather than in the
/// agent so that a restarted agent of a drained node does not announce it again.
/// </summary>
public sealed record NodeDrain
{
    public const int DefaultGracefulShutdownSeconds = 30;

    /// <summary>The longest announcement phase taken (one hour): longer is a typo, not a maintenance window.</summary>
    public const int MaxGracefulShutdownSeconds = 3600;

    /// <summary>When the drain was asked for (the clock of the host that ran the command).</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>How long routes are announced with 65535:0 before they are withdrawn; 0 withdraws at once; absent 30.</summary>
    public int? GracefulShutdownSeconds { get; init; }

    /// <summary>When the node withdraws its routes and closes its sessions.</summary>
    [JsonIgnore]
    public DateTimeOffset WithdrawAt => Since + TimeSpan.FromSeconds(GracefulShutdownSeconds ?? DefaultGracefulShutdownSeconds);
}
