using System.Net;
using RoutedNet.BgpSpeaker.Policy;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>The facts about one Established peer that decide what it may receive and in what form.</summary>
internal sealed record ExportTarget(
    uint LocalAs,
    IPAddress PeerAddress,
    uint PeerRouterId,
    bool IsInternal,
    bool IsRouteReflectorClient,
    ExportPolicy Policy,
    IPAddress? NextHopV4,
    IPAddress? NextHopV6);
