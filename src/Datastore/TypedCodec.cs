using System.Text.Json;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// Stored form of a kind: the resource JSON without its resourceVersion (the backend's revision is
/// the truth); the store puts the revision back on every read.
/// </summary>
internal sealed class TypedCodec<T> : IResourceCodec
    where T : Resource, IResourceKind<T>
{
    public static readonly TypedCodec<T> Instance = new();

    public bool Namespaced => T.IsNamespaced;

    public byte[] Serialize(Resource resource) =>
        JsonSerializer.SerializeToUtf8Bytes(
            (T)(resource with { Metadata = resource.Metadata with { ResourceVersion = null } }),
            T.JsonTypeInfo);

    public Resource Deserialize(byte[] json) => Read(json, null);

    /// <summary>Parses stored JSON and stamps <paramref name="revision"/> as its resourceVersion; names <paramref name="name"/> when it does not decode.</summary>
    public static T Read(byte[] json, long? revision, string? name = null)
    {
        T value;
        var what = name is null ? $"stored {T.KindName}" : $"stored {T.KindName} \"{name}\"";
        try
        {
            value = JsonSerializer.Deserialize(json, T.JsonTypeInfo)
                ?? throw new ResourceValidationException($"{what} is JSON null");
        }
        catch (JsonException e)
        {
            throw new ResourceValidationException($"{what} does not decode: {e.Message}", e);
        }
        return revision is null
            ? value
            : (T)(value with { Metadata = value.Metadata with { ResourceVersion = ResourceVersions.Format(revision.Value) } });
    }

    /// <summary>
    /// Stands in for an object that no longer decodes, in a watch's Deleted event: the consumer
    /// drops it from its cache, which is what a relist (that skips it) would give too.
    /// </summary>
    public static T NameOnly(string name, long revision)
    {
        var empty = JsonSerializer.Deserialize("{}"u8, T.JsonTypeInfo)!;
        return (T)(empty with { Metadata = new ObjectMeta { Name = name, ResourceVersion = ResourceVersions.Format(revision) } });
    }
}
