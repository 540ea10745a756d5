using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Creates or updates this node's Node resource with its addresses, keeping what others set on it
/// (AS number, labels, route-reflector cluster id). Compare-and-swap: a concurrent writer (an
/// operator's `routednetctl apply`) makes it read again, never overwrite blindly.
/// </summary>
public static class NodeRegistrar
{
    public static async Task<Node> RegisterAsync(IStore store, string nodeName, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await store.TryGetAsync<Node>(nodeName, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is null)
                {
                    return await store.CreateAsync(Registered(null, nodeName, addresses), cancellationToken).ConfigureAwait(false);
                }
                if (IsRegistered(existing, addresses))
                {
                    return existing;
                }
                return await store.UpdateAsync(Registered(existing, nodeName, addresses), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ResourceAlreadyExistsException or RevisionConflictException || (e is ResourceNotFoundException && existing is not null))
            {
                // Someone else wrote the Node between our read and our write: read it again. A
                // create that finds nothing to write on (the kubernetes datastore, before kubelet
                // has registered the core Node) goes to the caller, which retries with backoff.
            }
        }
    }

    /// <summary>Whether <paramref name="node"/> is there and carries this agent's addresses.</summary>
    public static bool IsRegistered(Node? node, IReadOnlyList<string> addresses) =>
        node is not null && node.Spec.Addresses.SequenceEqual(addresses, StringComparer.Ordinal);

    /// <summary>The Node as registering writes it: <paramref name="existing"/> (or a new one) with these addresses.</summary>
    public static Node Registered(Node? existing, string nodeName, IReadOnlyList<string> addresses) =>
        existing is null
            ? new Node { Metadata = new ObjectMeta { Name = nodeName }, Spec = new NodeSpec { Addresses = addresses } }
            : existing with { Spec = existing.Spec with { Addresses = addresses } };
}
