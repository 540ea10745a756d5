namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>Published by the route loop after each pass, for /metrics (read from other threads).</summary>
public sealed record RouteCounts(int Workload, int Blackhole, int Bgp, int Conflicts)
{
    public static RouteCounts None { get; } = new(0, 0, 0, 0);
}
