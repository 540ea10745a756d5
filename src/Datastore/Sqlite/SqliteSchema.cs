namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Tables: one global revision counter, the current value of every key, and an event log that
/// watches replay (bounded by <see cref="SqliteHistory"/>).
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Kept in the file's user_version once <see cref="Create"/> ran; bump it when the schema changes.</summary>
    public const long Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            current INTEGER NOT NULL,
            compacted INTEGER NOT NULL);
        INSERT OR IGNORE INTO revision (id, current, compacted) VALUES (1, 0, 0);
        CREATE TABLE IF NOT EXISTS resources (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            value BLOB NOT NULL,
            mod_revision INTEGER NOT NULL,
            PRIMARY KEY (kind, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events (
            revision INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            type INTEGER NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (revision, seq)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS events_by_kind ON events (kind, revision, seq);
        """;
}
