using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

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

    /// <summary>Creates it unless it exists (its labels then stay as they are).</summary>
    public static async Task CreateIfMissingAsync(IStore store, string name, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? labels = null)
    {
        try
        {
            await store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name, Labels = labels } }, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            // Made by an earlier pod of the namespace, or by the user (apply, label namespace).
        }
    }
}
