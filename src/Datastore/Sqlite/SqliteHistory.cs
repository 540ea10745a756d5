namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// How much of the event log is kept: a watch can resume from the last <see cref="Revisions"/>
/// revisions; compaction runs on commits whose revision is a multiple of <see cref="CompactEvery"/>.
/// </summary>
internal sealed record SqliteHistory(long Revisions, long CompactEvery)
{
    public static SqliteHistory Default { get; } = new(10_000, 1_000);
}
