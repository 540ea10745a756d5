namespace RoutedNet.Datastore.Backend;

/// <summary>A stored object as the backend keeps it: JSON bytes and the revision of its last write.</summary>
internal sealed record StoredEntry(string Kind, string Name, byte[] Value, long ModRevision);
