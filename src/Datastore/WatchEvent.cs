using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// One change. For <see cref="WatchEventType.Deleted"/>, <see cref="Object"/> is the last state
/// before deletion, with the deletion's revision as its resourceVersion (as Kubernetes does).
/// </summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object)
    where T : Resource
{
    /// <summary>The revision of this change; resume a watch from here.</summary>
    public string ResourceVersion => Object.Metadata.ResourceVersion ?? "";
}
