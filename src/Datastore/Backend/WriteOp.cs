namespace RoutedNet.Datastore.Backend;

/// <summary>
/// One key write of a commit. <see cref="ExpectedRevision"/> null means "must exist" for
/// update/delete; create always requires absence.
/// </summary>
internal sealed record WriteOp(WriteOpType Type, string Kind, string Name, byte[]? Value, long? ExpectedRevision);
