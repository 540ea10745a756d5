namespace RoutedNet.Datastore.Backend;

/// <summary>
/// The one place that turns "what the key looks like now" into the typed error of a failed write,
/// so that every backend reports the same thing for the same race.
/// </summary>
internal static class Preconditions
{
    /// <summary>Null when <paramref name="op"/> may proceed given the key's current revision (null = absent).</summary>
    public static DatastoreException? Check(WriteOp op, long? currentRevision) => op.Type switch
    {
        WriteOpType.Create when currentRevision is not null => DatastoreErrors.AlreadyExists(op.Kind, op.Name),
        WriteOpType.Create => null,
        _ when currentRevision is null => DatastoreErrors.NotFound(op.Kind, op.Name),
        _ when op.ExpectedRevision is { } expected && expected != currentRevision =>
            DatastoreErrors.Conflict(op.Kind, op.Name, expected, currentRevision.Value),
        _ => null,
    };
}
