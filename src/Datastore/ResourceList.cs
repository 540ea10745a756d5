using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>A consistent snapshot of one kind; watch from <see cref="ResourceVersion"/> to follow it.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion)
    where T : Resource;
