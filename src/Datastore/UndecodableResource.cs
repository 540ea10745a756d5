namespace RoutedNet.Datastore;

/// <summary>
/// A stored object that no longer decodes (written by hand, or by a version with other fields).
/// Lists skip it and name it here, so that one bad object does not hide its whole kind.
/// </summary>
public sealed record UndecodableResource(string Kind, string Name, string Reason);
