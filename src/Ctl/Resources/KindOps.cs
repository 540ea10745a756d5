using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Documents;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary><see cref="IKindOps"/> for one resource type, through its source-generated JSON contract.</summary>
internal sealed class KindOps<T> : IKindOps
    where T : Resource, IResourceKind<T>
{
    public string Kind => T.KindName;

    public Resource Parse(JsonElement json) => ResourceDocument.Parse<T>(json);

    public string ToJson(Resource resource) => JsonSerializer.Serialize((T)resource, T.JsonTypeInfo);

    public async Task<Resource> CreateAsync(IStore store, Resource resource, CancellationToken ct) =>
        await store.CreateAsync((T)resource, ct).ConfigureAwait(false);

    public async Task<Resource> ApplyAsync(IStore store, Resource resource, CancellationToken ct)
    {
        var typed = (T)resource;
        var existing = await store.TryGetAsync<T>(typed.Name, ct).ConfigureAwait(false);
        var unconditional = typed with { Metadata = typed.Metadata with { ResourceVersion = null } };
        return existing is null
            ? await store.CreateAsync(typed, ct).ConfigureAwait(false)
            : await store.UpdateAsync(unconditional, ct).ConfigureAwait(false);
    }

    public async Task<Resource> UpdateAsync(IStore store, Resource resource, CancellationToken ct) =>
        await store.UpdateAsync((T)resource, ct).ConfigureAwait(false);

    public Task DeleteAsync(IStore store, string name, CancellationToken ct) => store.DeleteAsync<T>(name, null, ct);

    public async Task<Resource?> GetAsync(IStore store, string name, CancellationToken ct) =>
        await store.TryGetAsync<T>(name, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<Resource>> ListAsync(IStore store, CancellationToken ct) =>
        (await store.ListAsync<T>(ct).ConfigureAwait(false)).Items;
}
