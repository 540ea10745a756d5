namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>The whole desired-vs-programmed picture at one moment, sorted by prefix.</summary>
public sealed record RouteReport(IReadOnlyList<RouteStatusEntry> Routes, DateTimeOffset? LastResync)
{
    public bool AllOk => Routes.All(r => r.State == RouteState.Ok);
}
