namespace RoutedNet.Policy;

/// <summary>A policy the snapshot left out because it does not compile (a bad selector the API let through); the reason is one line.</summary>
public sealed record InvalidPolicy(string Id, string Reason);
