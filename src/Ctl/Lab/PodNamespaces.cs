using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The routednet.io Namespace of a pod's namespace, created by `add-pod` when missing (labels
/// none but the name label the store adds), as a Kubernetes Namespace exists before its pods:
/// namespaceSelectors and `label namespace` then have an object to work on.
/// </summary>
internal static class PodNamespaces
{
    public static void Ensure(LabState state, string name) =>
        EnsureAsync(state, name, CancellationToken.None).GetAwaiter().GetResult();

    private static async Task EnsureAsync(LabState state, string name, CancellationToken cancellationToken)
    {
        var store = await StoreFactory.OpenAsync(DatastoreUrl.Resolve(state.Datastore), cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            await CreateIfMissingAsync(store, name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The one line that needs the Namespace kind (issue 16, helper "model"); until it is on main there is nothing to create.</summary>
    private static Task CreateIfMissingAsync(IStore store, string name, CancellationToken cancellationToken) => Task.CompletedTask;
}
