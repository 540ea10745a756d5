using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// The outcome of a committed <see cref="StoreTransaction"/>: one entry per operation in order,
/// the written object for create/update and null for delete.
/// </summary>
public sealed record TransactionResult(IReadOnlyList<Resource?> Results, string ResourceVersion);
