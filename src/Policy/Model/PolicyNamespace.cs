namespace RoutedNet.Policy;

/// <summary>A namespace and its labels (with kubernetes.io/metadata.name), for namespaceSelectors.</summary>
public sealed record PolicyNamespace(string Name, IReadOnlyDictionary<string, string> Labels);
