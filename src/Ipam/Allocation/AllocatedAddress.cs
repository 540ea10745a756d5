using System.Net;

namespace RoutedNet.Ipam.Allocation;

/// <summary>One address handed out, with the block and pool it came from.</summary>
public sealed record AllocatedAddress(IPAddress Address, IPNetwork Block, string Pool);
