using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Integration.Felix;

/// <summary>Blocks as IPAM leaves them once a node has claimed them, for agent tests that need routes to announce.</summary>
public static class AffineBlocks
{
    /// <summary>An IPAMBlock <paramref name="cidr"/> affine to <paramref name="node"/>.</summary>
    public static Task<IPAMBlock> CreateAffineBlockAsync(this IStore store, string cidr, string node) =>
        store.CreateAsync(new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = cidr.Replace('.', '-').Replace('/', '-') },
            Spec = new IPAMBlockSpec { Cidr = cidr, Affinity = $"host:{node}" },
        });
}
