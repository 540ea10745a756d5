namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// The kernel's answer to one change of a batch: null error means it was applied.
/// <paramref name="AlreadyGone"/>: a delete found nothing (ESRCH); <paramref name="AlreadyExists"/>:
/// a create-only change found the prefix taken (EEXIST).
/// </summary>
public readonly record struct RouteChangeResult(RouteChange Change, string? Error, bool AlreadyGone, bool AlreadyExists = false)
{
    public bool Succeeded => Error is null;

    /// <summary>The route's interface exists but is not up (ENETDOWN): a new pod's veth before the CNI plugin set it up.</summary>
    public bool DeviceDown { get; init; }
}
