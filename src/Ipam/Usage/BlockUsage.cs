using System.Net;

namespace RoutedNet.Ipam.Usage;

/// <summary>One block: its owner (null when no node holds it), size and use; borrowed lists addresses held for other nodes.</summary>
public sealed record BlockUsage(IPNetwork Cidr, string? Owner, int Total, int InUse, IReadOnlyList<AddressInfo> Borrowed)
{
    public int Free => Total - InUse;
}
