namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>How a prefix's kernel route compares with what it should be (`routednetctl routes`).</summary>
public enum RouteState
{
    Ok,
    Missing,
    Unexpected,
    WrongNextHop,
    MissingBlackhole,
    Conflict,
}
