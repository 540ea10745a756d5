using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>A consistent snapshot of one kind; watch from <see cref="ResourceVersion"/> to follow it.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion)
    where T : Resource
{
    /// <summary>Stored objects of the kind that do not decode: left out of <see cref="Items"/>, for the caller to report.</summary>
    public IReadOnlyList<UndecodableResource> Undecodable { get; init; } = [];
}
