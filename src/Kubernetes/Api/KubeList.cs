using System.Text.Json;

namespace RoutedNet.Kubernetes.Api;

/// <summary>Every object of a list (all pages) and the list's resourceVersion, the point to watch from.</summary>
public sealed record KubeList(IReadOnlyList<JsonElement> Items, string ResourceVersion);
