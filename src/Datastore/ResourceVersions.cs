using System.Globalization;

namespace RoutedNet.Datastore;

/// <summary>sqlite and etcd revisions are positive 64-bit integers; resourceVersion carries them as decimal text.</summary>
internal static class ResourceVersions
{
    public static string Format(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public static long? Parse(string? resourceVersion)
    {
        if (resourceVersion is null)
        {
            return null;
        }
        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            throw new ArgumentException($"resourceVersion \"{resourceVersion}\" is not a revision of this store", nameof(resourceVersion));
        }
        return revision;
    }
}
