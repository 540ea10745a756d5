using System.Text.Json;

namespace RoutedNet.Kubernetes.Api;

/// <summary>One watch event: the object (for a bookmark, just its metadata.resourceVersion) and that resourceVersion.</summary>
public sealed record KubeWatchEvent(KubeWatchEventType Type, JsonElement Object, string ResourceVersion);
