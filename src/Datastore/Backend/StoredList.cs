namespace RoutedNet.Datastore.Backend;

/// <summary>Every entry of a kind at <see cref="Revision"/>, sorted by name.</summary>
internal sealed record StoredList(IReadOnlyList<StoredEntry> Items, long Revision);
