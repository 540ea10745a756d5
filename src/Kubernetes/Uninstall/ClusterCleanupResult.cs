namespace RoutedNet.Kubernetes.Uninstall;

/// <summary>What <see cref="ClusterCleanup"/> removed: objects per kind (in removal order), Nodes un-annotated, and each step that failed, one line each.</summary>
public sealed record ClusterCleanupResult(IReadOnlyList<(string Kind, int Count)> Deleted, int NodesCleaned, IReadOnlyList<string> Failures);
