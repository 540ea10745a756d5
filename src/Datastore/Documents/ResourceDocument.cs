using System.Text.Json;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Documents;

/// <summary>
/// Turns a document an operator wrote (apply -f, a CRD body) into a typed resource, strictly: a
/// field the kind does not have is an error naming it, as <c>kubectl --validate=strict</c> does.
/// Stored objects are read leniently instead (<see cref="TypedCodec{T}"/>), so that an older
/// agent still reads what a newer CLI wrote.
/// </summary>
public static class ResourceDocument
{
    /// <summary>Parses <paramref name="document"/>; <see cref="ResourceValidationException"/> naming the field on any mistake.</summary>
    public static T Parse<T>(JsonElement document)
        where T : Resource, IResourceKind<T>
    {
        UnknownFields.Check(document, T.JsonTypeInfo, "");
        try
        {
            return document.Deserialize(T.JsonTypeInfo) ?? throw new ResourceValidationException($"{T.KindName}: empty document");
        }
        catch (JsonException e)
        {
            throw new ResourceValidationException($"{FieldOf(e.Path)}: {WithoutPosition(e.Message)}", e);
        }
    }

    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "document" : path.TrimStart('$', '.');

    // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 56." to its
    // messages: positions in the JSON we built from the YAML mean nothing to the operator.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
