using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary>The store operations of one kind without generics at the call site (the CLI picks kinds by name).</summary>
internal interface IKindOps
{
    string Kind { get; }

    /// <summary>Strict: an unknown field or a value of the wrong type is a <see cref="ResourceValidationException"/> naming it.</summary>
    Resource Parse(JsonElement json);

    string ToJson(Resource resource);

    Task<Resource> CreateAsync(IStore store, Resource resource, CancellationToken ct);

    /// <summary>Create, or overwrite what is there (kubectl apply semantics, last writer wins).</summary>
    Task<Resource> ApplyAsync(IStore store, Resource resource, CancellationToken ct);

    /// <summary>Replaces what is there if it is still at the resource's revision (compare-and-swap).</summary>
    Task<Resource> UpdateAsync(IStore store, Resource resource, CancellationToken ct);

    Task DeleteAsync(IStore store, string name, CancellationToken ct);

    Task<Resource?> GetAsync(IStore store, string name, CancellationToken ct);

    Task<IReadOnlyList<Resource>> ListAsync(IStore store, CancellationToken ct);
}
