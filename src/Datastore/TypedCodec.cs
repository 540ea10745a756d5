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

    public byte[] Serialize(Resource resource) =>
        JsonSerializer.SerializeToUtf8Bytes(
            (T)(resource with { Metadata = resource.Metadata with { ResourceVersion = null } }),
            T.JsonTypeInfo);

    public Resource Deserialize(byte[] json) => Read(json, null);

    /// <summary>Parses stored JSON and stamps <paramref name="revision"/> as its resourceVersion.</summary>
    public static T Read(byte[] json, long? revision)
    {
        T value;
        try
        {
            value = JsonSerializer.Deserialize(json, T.JsonTypeInfo)
                ?? throw new ResourceValidationException($"stored {T.KindName} is JSON null");
        }
        catch (JsonException e)
        {
            throw new ResourceValidationException($"stored {T.KindName} is not valid JSON: {e.Message}", e);
        }
        return revision is null
            ? value
            : (T)(value with { Metadata = value.Metadata with { ResourceVersion = ResourceVersions.Format(revision.Value) } });
    }
}
