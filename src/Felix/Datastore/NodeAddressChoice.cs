namespace RoutedNet.Felix.Datastore;

/// <summary>The node's addresses in CIDR form (at most one per family) and how they were chosen, for the log.</summary>
public sealed record NodeAddressChoice(IReadOnlyList<string> Addresses, string How);
