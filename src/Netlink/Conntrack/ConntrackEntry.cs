using System.Net;

namespace RoutedNet.Netlink.Conntrack;

/// <summary>
/// One conntrack entry by its original-direction tuple (who opened the flow): protocol, addresses,
/// ports (0 for protocols without), ICMP type and code. <see cref="Tuple"/> keeps the tuple's
/// attributes as the kernel sent them, so a delete names exactly this entry (ICMP id included).
/// <see cref="Mark"/> is the entry's ct mark as dumped.
/// </summary>
public sealed record ConntrackEntry(byte Protocol, IPAddress Source, IPAddress Destination, ushort SourcePort, ushort DestinationPort, byte IcmpType, byte IcmpCode)
{
    internal byte[] Tuple { get; init; } = [];

    internal ushort? Zone { get; init; }

    internal byte Family { get; init; }

    public uint Mark { get; init; }

    public override string ToString() =>
        $"proto {Protocol} {Source}:{SourcePort} -> {Destination}:{DestinationPort}";
}
