using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// A few writes committed together by <see cref="IStore.CommitAsync"/>, each with the same
/// precondition as its single form (create: absent; update/delete: resourceVersion matches, or
/// just exists when it is null). IPAM uses it to claim a block and its affinity in one step.
/// </summary>
public sealed class StoreTransaction
{
    private readonly List<TransactionOp> _ops = [];

    internal IReadOnlyList<TransactionOp> Ops => _ops;

    public int Count => _ops.Count;

    public StoreTransaction Create<T>(T resource)
        where T : Resource, IResourceKind<T> =>
        Add(new TransactionOp(Backend.WriteOpType.Create, T.KindName, StoreKeys.Of(resource), resource, null, TypedCodec<T>.Instance));

    public StoreTransaction Update<T>(T resource)
        where T : Resource, IResourceKind<T> =>
        Add(new TransactionOp(Backend.WriteOpType.Update, T.KindName, StoreKeys.Of(resource), resource, resource.Metadata.ResourceVersion, TypedCodec<T>.Instance));

    /// <summary>
    /// Deletes the object (<paramref name="name"/> is its store key: "NAMESPACE/NAME" for a namespaced kind). An IPPool whose range still has allocated addresses is refused with
    /// <see cref="ResourceInUseException"/> unless <paramref name="force"/>; then those blocks stay.
    /// </summary>
    public StoreTransaction Delete<T>(string name, string? resourceVersion = null, bool force = false)
        where T : Resource, IResourceKind<T> =>
        Add(new TransactionOp(Backend.WriteOpType.Delete, T.KindName, name, null, resourceVersion, TypedCodec<T>.Instance, force));

    private StoreTransaction Add(TransactionOp op)
    {
        if (_ops.Exists(o => o.Kind == op.Kind && o.Name == op.Name))
        {
            throw new ArgumentException($"{op.Kind} \"{op.Name}\" appears twice in one transaction", nameof(op));
        }
        _ops.Add(op);
        return this;
    }
}
