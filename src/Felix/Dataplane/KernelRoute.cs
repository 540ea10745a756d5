using System.Net;

namespace RoutedNet.Felix.Dataplane;

/// <summary>A main-table route as read back from the kernel (or to be written), with its owner's protocol number.</summary>
public readonly record struct KernelRoute(IPNetwork Destination, RouteTarget Target, byte Protocol)
{
    public bool IsOurs => Protocol == RouteOwnership.Protocol;

    public override string ToString() => $"{Destination} {Target} proto {Protocol}";
}
