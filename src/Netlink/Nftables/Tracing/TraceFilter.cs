using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Netlink.Nftables.Tracing;

/// <summary>
/// The packets `policy trace` follows: one direction of a flow (source, destination, protocol,
/// destination port). Unset fields match anything; source and destination must be one family.
/// </summary>
public sealed record TraceFilter(IPAddress? Source, IPAddress? Destination, byte? Protocol, ushort? DestinationPort)
{
    public bool IsIPv6 => (Source ?? Destination)?.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>A one-line reason the filter cannot be traced, or null.</summary>
    public string? Problem() =>
        Source is not null && Destination is not null && Source.AddressFamily != Destination.AddressFamily ? $"source {Source} and destination {Destination} are not of one address family"
        : DestinationPort is not null && Protocol is not (6 or 17 or 132) ? "a destination port needs protocol tcp, udp or sctp"
        : Source is null && Destination is null ? "give a source or a destination address: tracing every packet of the node would flood the trace"
        : null;

    public override string ToString() =>
        $"{Source?.ToString() ?? "any"} -> {Destination?.ToString() ?? "any"}{(Protocol is { } p ? " " + Netfilter.PacketSummary.ProtocolName(p) : "")}{(DestinationPort is { } d ? " dport " + d : "")}";
}
