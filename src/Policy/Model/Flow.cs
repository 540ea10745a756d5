namespace RoutedNet.Policy;

/// <summary>
/// A packet's 5-tuple as the model judges it: ends, IANA protocol number, ports (TCP, UDP, SCTP,
/// UDPLite) or ICMP type and code.
/// </summary>
public sealed record Flow(FlowEnd Source, FlowEnd Destination, int Protocol, int? DestinationPort = null, int? SourcePort = null)
{
    public int? IcmpType { get; init; }

    public int? IcmpCode { get; init; }

    /// <summary>A flow between two endpoints' first IPv4 addresses (else their first).</summary>
    public static Flow Between(PolicyEndpoint source, PolicyEndpoint destination, int protocol, int? destinationPort) =>
        new(FlowEnd.Of(source), FlowEnd.Of(destination), protocol, destinationPort);

    public override string ToString() =>
        $"{Source} -> {Destination} {Protocols.Name(Protocol)}{(DestinationPort is { } port ? "/" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}";
}
