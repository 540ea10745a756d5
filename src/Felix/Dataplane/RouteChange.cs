namespace RoutedNet.Felix.Dataplane;

/// <summary>One write in a batch: replace (add or overwrite ours) or delete a route.</summary>
public readonly record struct RouteChange(KernelRoute Route, bool Delete, bool CreateOnly = false)
{
    public static RouteChange Replace(KernelRoute route) => new(route, false);

    /// <summary>
    /// Creates the route only if the prefix has none (NLM_F_EXCL): for a prefix where no route of
    /// ours is known, so that a route another owner added since the last read-back is refused
    /// (EEXIST, then reported as a conflict) instead of silently replaced.
    /// </summary>
    public static RouteChange Create(KernelRoute route) => new(route, false, CreateOnly: true);

    public static RouteChange Remove(KernelRoute route) => new(route, true);
}
