namespace RoutedNet.Felix.Dataplane;

/// <summary>One write in a batch: replace (add or overwrite ours) or delete a route.</summary>
public readonly record struct RouteChange(KernelRoute Route, bool Delete)
{
    public static RouteChange Replace(KernelRoute route) => new(route, false);

    public static RouteChange Remove(KernelRoute route) => new(route, true);
}
