namespace RoutedNet.Felix.Dataplane;

/// <summary>The kernel's answer to one change of a batch: null error means it was applied.</summary>
public readonly record struct RouteChangeResult(RouteChange Change, string? Error, bool AlreadyGone)
{
    public bool Succeeded => Error is null;
}
