using System.Net;

namespace RoutedNet.Ipam.Usage;

/// <summary>One allocated address: its block, its handle and the attributes recorded with it.</summary>
public sealed record AddressInfo(IPAddress Address, IPNetwork Block, string? BlockOwner, string? HandleId, IReadOnlyDictionary<string, string> Attributes);
