using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// One candidate route: its attributes and where it came from. The speaker shares one instance
/// among all the prefixes of one announcement (same peer, same attributes, one family), so a
/// table of a million routes does not hold a million of these.
/// </summary>
public sealed class RoutePath(PathSource source, PathAttributes attributes)
{
    private BestPathResult? _alone;
    private IReadOnlyList<System.Net.IPAddress>? _nextHops;

    public PathSource Source { get; } = source;

    public PathAttributes Attributes { get; } = attributes;

    /// <summary>
    /// Kept from a peer that went away with graceful restart negotiated (RFC 4724 §4.2); swept unless
    /// re-learned. Set for a whole family of a peer at once, so sharing the instance among prefixes is safe.
    /// </summary>
    public bool IsStale { get; set; }

    /// <summary>
    /// Taken from the peer only to be passed on, never installed in the kernel (a route reflector
    /// reflecting its clients' Service routes: <see cref="Policy.ImportPolicy.PassOnOnly"/>).
    /// </summary>
    public bool PassOnOnly { get; init; }

    /// <summary>
    /// For a path the peer sent under an ADD-PATH Path Identifier (RFC 7911): the identifier this
    /// speaker gave it, unique among all origins (<see cref="PeerState"/> maps the peer's own), so
    /// that it keeps the path apart from the peer's others for the prefix and sends it on under it.
    /// 0 for a path from a peer without ADD-PATH, and for ours: one per origin, under
    /// <see cref="PathSource.PathId"/>. It fits in the object's padding, costing nothing.
    /// </summary>
    public uint PathId { get; init; }

    /// <summary>The Path Identifier this path carries towards ADD-PATH peers.</summary>
    internal uint OutgoingPathId => PathId != 0 ? PathId : Source.PathId;

    /// <summary>Cost to the next hop where an IGP tells us; null when unknown (the step is then skipped).</summary>
    public uint? IgpCost { get; init; }

    /// <summary>Its next hop as the list a kernel change carries; shared like the path itself.</summary>
    internal IReadOnlyList<System.Net.IPAddress> NextHops => _nextHops ??= Attributes.NextHop is { } hop ? [hop] : [];

    /// <summary>The decision when this path is a prefix's only candidate; one instance for every prefix that shares the path.</summary>
    internal BestPathResult Alone => _alone ??= new BestPathResult(this, [this], DecisionReason.OnlyPath);

    public override string ToString() => $"via {Attributes.NextHop} from {Source}{(PathId != 0 ? $" path {PathId}" : "")}{(IsStale ? " (stale)" : "")}";
}
