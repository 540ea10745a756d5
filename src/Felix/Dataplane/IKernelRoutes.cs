namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// The part of the kernel the route reconciler needs, small enough to fake in memory for unit
/// tests. The real one is <see cref="NetlinkKernel"/>. Calls are synchronous and come from one
/// reconciler loop at a time.
/// </summary>
public interface IKernelRoutes
{
    /// <summary>Every main-table route, IPv4 and IPv6, of every protocol (`ip route show table main`).</summary>
    IReadOnlyList<KernelRoute> ListRoutes();

    /// <summary>
    /// <see cref="ListRoutes"/> without the list: each route is handed to <paramref name="sink"/> as
    /// it is read, with the same <see cref="RouteTarget"/> instance as the read before for a route
    /// that did not change, so a periodic read-back of a large table leaves no garbage behind.
    /// </summary>
    void ScanRoutes(IKernelRouteSink sink);

    /// <summary>Applies a batch (one round trip where the kernel allows); one result per change, in order.</summary>
    IReadOnlyList<RouteChangeResult> Apply(IReadOnlyList<RouteChange> changes);

    /// <summary>Every interface in this namespace (`ip link show`).</summary>
    IReadOnlyList<KernelLink> ListLinks();
}
