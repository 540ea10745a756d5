using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Documents;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary><see cref="IKindOps"/> for one resource type, through its source-generated JSON contract.</summary>
internal sealed class KindOps<T> : IKindOps
    where T : Resource, IResourceKind<T>
{
    public const string DefaultNamespace = "default";

    private readonly Action<Resource>? _validate;

    /// <param name="validate">Checks the kind's store validation cannot (policies: their selectors), throwing <see cref="ResourceValidationException"/>.</param>
    public KindOps(Action<Resource>? validate = null)
    {
        _validate = validate;
    }

    public string Kind => T.KindName;

    public bool Namespaced => T.IsNamespaced;

    public string KeyOf(Resource resource) => StoreKeys.Of((T)resource);

    public Resource Parse(JsonElement json)
    {
        var resource = ResourceDocument.Parse<T>(json);
        if (T.IsNamespaced && resource.Metadata is { Namespace: null or "" } metadata)
        {
            resource = resource with { Metadata = metadata with { Namespace = DefaultNamespace } };
        }
        _validate?.Invoke(resource);
        return resource;
    }

    public string ToJson(Resource resource) => JsonSerializer.Serialize((T)resource, T.JsonTypeInfo);

    public void StageCreate(StoreTransaction transaction, Resource resource) => transaction.Create((T)resource);

    public async Task StageApplyAsync(IStore store, StoreTransaction transaction, Resource resource, CancellationToken ct)
    {
        var typed = (T)resource;
        var existing = await store.TryGetAsync<T>(StoreKeys.Of(typed), ct).ConfigureAwait(false);
        if (existing is null)
        {
            transaction.Create(typed);
            return;
        }
        transaction.Update(typed with
        {
            Metadata = typed.Metadata with
            {
                ResourceVersion = existing.Metadata.ResourceVersion,
                Uid = existing.Metadata.Uid,
                CreationTimestamp = existing.Metadata.CreationTimestamp,
            },
        });
    }

    public async Task<Resource> UpdateAsync(IStore store, Resource resource, CancellationToken ct) =>
        await store.UpdateAsync((T)resource, ct).ConfigureAwait(false);

    public void StageDelete(StoreTransaction transaction, string name, bool force) => transaction.Delete<T>(name, null, force);

    public Task DeleteAsync(IStore store, string name, CancellationToken ct) => store.DeleteAsync<T>(name, null, ct);

    public async Task<Resource?> GetAsync(IStore store, string name, CancellationToken ct) =>
        await store.TryGetAsync<T>(name, ct).ConfigureAwait(false);

    public async Task<ResourceList<Resource>> ListAsync(IStore store, CancellationToken ct)
    {
        var list = await store.ListAsync<T>(ct).ConfigureAwait(false);
        return new ResourceList<Resource>(list.Items, list.ResourceVersion) { Undecodable = list.Undecodable };
    }
}
