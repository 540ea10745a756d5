namespace RoutedNet.Kubernetes.Api;

/// <summary>The <c>type</c> of a watch event line; ERROR never reaches callers (it is thrown).</summary>
public enum KubeWatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Carries only <c>metadata.resourceVersion</c>: a point to resume from, not a change.</summary>
    Bookmark,
}
