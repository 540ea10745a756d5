using System.Net;

namespace RoutedNet.Felix.Hosting;

/// <summary>This node as registered: identity, BGP AS (and where it came from) and the blocks it owns.</summary>
public sealed record NodeSummary(
    string Name,
    IReadOnlyList<IPAddress> Addresses,
    uint AsNumber,
    string AsNumberSource,
    IPAddress? RouterId,
    IReadOnlyList<IPNetwork> Blocks);
