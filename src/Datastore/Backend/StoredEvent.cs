namespace RoutedNet.Datastore.Backend;

/// <summary>
/// One change. For a deletion <see cref="Entry"/> carries the value before it and the deletion's
/// revision as <see cref="StoredEntry.ModRevision"/>.
/// </summary>
internal sealed record StoredEvent(WatchEventType Type, StoredEntry Entry);
