using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Resources;

/// <summary>
/// Secrets stay in the datastore: `get` prints <see cref="Placeholder"/> where a BGPPeer has a
/// password (as `kubectl config view` prints REDACTED), and `apply` of a document carrying the
/// placeholder keeps the password already stored, so that get, edit, apply never drops (or sets
/// to the placeholder) a TCP-MD5 key. A new peer must bring its real password.
/// </summary>
internal static class SecretFields
{
    public const string Placeholder = "REDACTED";

    /// <summary>The resource as `get` may show it.</summary>
    public static Resource Redact(Resource resource) =>
        resource is BGPPeer { Spec.Password: not null } peer
            ? peer with { Spec = peer.Spec with { Password = Placeholder } }
            : resource;

    /// <summary>The resource to write: a placeholder password replaced by the stored one.</summary>
    public static async Task<Resource> RestoreAsync(IStore store, Resource resource, CancellationToken cancellationToken)
    {
        if (resource is not BGPPeer { Spec.Password: Placeholder } peer)
        {
            return resource;
        }
        var stored = await store.TryGetAsync<BGPPeer>(peer.Name, cancellationToken).ConfigureAwait(false);
        return stored?.Spec.Password is { } password
            ? peer with { Spec = peer.Spec with { Password = password } }
            : throw new CtlException($"BGPPeer \"{peer.Name}\": password is {Placeholder}, the placeholder `get` prints, and no password is stored for it: give the real password");
    }
}
