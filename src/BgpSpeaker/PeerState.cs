using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Common;

namespace RoutedNet.BgpSpeaker;

/// <summary>Everything the speaker loop keeps about one configured peer. Touched only by the loop.</summary>
internal sealed class PeerState(BgpPeerOptions options, PeerSession session, uint pathId, LocRib rib)
{
    /// <summary>The ADD-PATH Path Identifier of this peer's paths when we send them on (<see cref="PathSource.PathId"/>).</summary>
    public uint PathId { get; } = pathId;

    public BgpPeerOptions Options { get; set; } = options;

    /// <summary>
    /// ADD-PATH receive (RFC 7911): the peer's Path Identifiers, each mapped to the one this speaker
    /// gave it (<see cref="RoutePath.PathId"/>, from the counter of <see cref="PathId"/>, so it is
    /// distinct from every other origin's when sent on). Kept across sessions, so a restarted peer's
    /// path under the same identifier replaces its stale one; null until the peer sends one.
    /// </summary>
    public Dictionary<uint, uint>? ReceivedPathIds { get; set; }

    public PeerSession Session { get; set; } = session;

    public AdjRibIn In { get; } = new(rib, options.Address);

    /// <summary>What was advertised to a peer outside any export group (one that sends ADD-PATH identifiers).</summary>
    public AdjRibOut Out { get; } = new();

    /// <summary>The export group of an Established peer without ADD-PATH send, whose Adj-RIB-Out it shares.</summary>
    public ExportGroup? Group { get; set; }

    /// <summary>Paths advertised to the peer, through its group or its own Adj-RIB-Out.</summary>
    public int AdvertisedCount => Group?.CountFor(this) ?? Out.Count;

    /// <summary>Set while Established: the source of this session's paths, and how to export to it.</summary>
    public PathSource? Source { get; set; }

    public ExportTarget? Target { get; set; }

    public Negotiated? Negotiated { get; set; }

    public BgpCodecContext Codec { get; set; } = BgpCodecContext.Initial;

    public bool IsEstablished => Target is not null;

    /// <summary>Families whose End-of-RIB arrived in this session.</summary>
    public HashSet<RouteFamily> EndOfRibReceived { get; } = [];

    /// <summary>The peer's graceful restart capability from its last Established session.</summary>
    public GracefulRestartCapability? LastGracefulRestart { get; set; }

    /// <summary>RFC 4724 restart timer (peer gone) or stale-path timer (peer back, waiting for End-of-RIB).</summary>
    public ITimer? StaleTimer { get; set; }

    public int StaleCount { get; set; }

    /// <summary>
    /// Prefixes the peer currently announces that we did not take (import policy, a family the
    /// session did not negotiate, or a routing loop): never in <see cref="In"/>, so the two together
    /// are what the peer announces. Touched only for such prefixes and their withdrawals, so a full
    /// table of accepted routes pays one Count check per prefix.
    /// </summary>
    public HashSet<RibPrefix> Filtered { get; } = [];

    /// <summary>Announcements of a prefix that import refused, counted since the peer was added (BIRD's "import updates filtered").</summary>
    public long ImportRejected { get; set; }

    public bool MaxPrefixTripped { get; set; }

    /// <summary>Why the listeners do not hold this peer's TCP-MD5 key (the kernel refused it), or null.</summary>
    public string? ListenerKeyError { get; set; }

    /// <summary>The next try to give the listeners the key, while <see cref="ListenerKeyError"/> is set.</summary>
    public ITimer? ListenerKeyRetry { get; set; }

    /// <summary>1 s doubling to 60 s: a refusal that heals (memory, a module loaded) is picked up without hammering the kernel.</summary>
    public Backoff ListenerKeyBackoff { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    public void StopListenerKeyRetry()
    {
        ListenerKeyRetry?.Dispose();
        ListenerKeyRetry = null;
    }

    public void StopStaleTimer()
    {
        StaleTimer?.Dispose();
        StaleTimer = null;
    }
}
