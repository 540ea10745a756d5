using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary>The store operations of one kind without generics at the call site (the CLI picks kinds by name).</summary>
internal interface IKindOps
{
    string Kind { get; }

    /// <summary>Whether objects live in a namespace: their store key (and name on the command line) is NAMESPACE/NAME.</summary>
    bool Namespaced { get; }

    /// <summary>The store key: the name, or NAMESPACE/NAME.</summary>
    string KeyOf(Resource resource);

    /// <summary>
    /// Strict: an unknown field or a value of the wrong type is a <see cref="ResourceValidationException"/>
    /// naming it, and so is a policy that does not validate. A namespaced object without a namespace
    /// goes to "default", as with kubectl.
    /// </summary>
    Resource Parse(JsonElement json);

    string ToJson(Resource resource);

    /// <summary>Queues a create of <paramref name="resource"/> (fails the commit when the name is taken).</summary>
    void StageCreate(StoreTransaction transaction, Resource resource);

    /// <summary>
    /// Queues kubectl apply semantics: create when absent, else replace what was read now (uid and
    /// creation time kept; the commit fails if it changes in between, and the caller reads again).
    /// </summary>
    Task StageApplyAsync(IStore store, StoreTransaction transaction, Resource resource, CancellationToken ct);

    /// <summary>Queues a delete; <paramref name="force"/> deletes an IPPool whose addresses are still allocated.</summary>
    void StageDelete(StoreTransaction transaction, string name, bool force);

    /// <summary>Replaces what is there if it is still at the resource's revision (compare-and-swap).</summary>
    Task<Resource> UpdateAsync(IStore store, Resource resource, CancellationToken ct);

    Task DeleteAsync(IStore store, string name, CancellationToken ct);

    Task<Resource?> GetAsync(IStore store, string name, CancellationToken ct);

    /// <summary>Every object of the kind; those that no longer decode are in <see cref="ResourceList{T}.Undecodable"/>.</summary>
    Task<ResourceList<Resource>> ListAsync(IStore store, CancellationToken ct);
}
