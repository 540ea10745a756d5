namespace RoutedNet.Felix.Reconcilers;

/// <summary>
/// What one apply achieved: <see cref="Error"/> set means something failed and the state stays
/// dirty (retried with backoff); <see cref="WakeAt"/> asks for another apply at that time (a grace
/// period ending, a device expected to appear).
/// </summary>
public readonly record struct ApplyOutcome(string? Error, DateTimeOffset? WakeAt)
{
    public static ApplyOutcome Done { get; } = new(null, null);
}
