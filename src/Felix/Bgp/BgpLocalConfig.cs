using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// This node as a BGP speaker. <see cref="Addresses"/> are the node's own (one per family): the
/// source and next hop of its sessions. <see cref="RestartingWithRoutesKept"/> is true when the
/// kernel still held BGP routes of ours at start, i.e. the agent restarted with forwarding intact
/// (graceful restart's F bit).
/// </summary>
public sealed record BgpLocalConfig(
    uint AsNumber,
    IPAddress RouterId,
    IReadOnlyList<IPAddress> Addresses,
    int ListenPort,
    IPAddress? RouteReflectorClusterId,
    bool RestartingWithRoutesKept);
