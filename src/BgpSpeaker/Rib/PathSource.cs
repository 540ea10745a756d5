using System.Net;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Where a path came from: one Established session of a peer (a new instance per session, so a
/// restarted peer's stale paths can be told apart), or <see cref="Local"/> for what we originate.
/// </summary>
public sealed class PathSource
{
    public static PathSource Local { get; } = new(IPAddress.Any, 0, 0, isInternal: true, isRouteReflectorClient: false, isLocal: true) { PathId = LocalPathId };

    /// <summary>The Path Identifier of what we originate; peers' identifiers start above it.</summary>
    public const uint LocalPathId = 1;

    public IPAddress PeerAddress { get; }

    public uint RemoteAs { get; }

    /// <summary>The peer's BGP identifier as a number (compared in the decision process).</summary>
    public uint RouterId { get; }

    public bool IsInternal { get; }

    public bool IsRouteReflectorClient { get; }

    public bool IsLocal { get; }

    /// <summary>
    /// The Path Identifier this origin's paths carry towards ADD-PATH peers (RFC 7911 §3): one per
    /// peer of the speaker (its sessions share it, so a restarted peer's path replaces its stale
    /// one under the same identifier), 1 for ours. A prefix holds at most one path per origin,
    /// so the identifier is unique among a prefix's paths, as RFC 7911 requires.
    /// </summary>
    public uint PathId { get; init; }

    public PathSource(IPAddress peerAddress, uint remoteAs, uint routerId, bool isInternal, bool isRouteReflectorClient)
        : this(peerAddress, remoteAs, routerId, isInternal, isRouteReflectorClient, isLocal: false)
    {
    }

    private PathSource(IPAddress peerAddress, uint remoteAs, uint routerId, bool isInternal, bool isRouteReflectorClient, bool isLocal)
    {
        PeerAddress = peerAddress;
        RemoteAs = remoteAs;
        RouterId = routerId;
        IsInternal = isInternal;
        IsRouteReflectorClient = isRouteReflectorClient;
        IsLocal = isLocal;
    }

    public override string ToString() => IsLocal ? "local" : PeerAddress.ToString();
}
