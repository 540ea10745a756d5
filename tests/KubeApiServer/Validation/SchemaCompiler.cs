using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Validation;

/// <summary>
/// Checks a CRD version's openAPIV3Schema when the CRD is written, as apiextensions-apiserver
/// does for the parts the stand-in enforces: the schema is structural (every specified field
/// has a type, unless it preserves unknown fields or is int-or-string), and every
/// x-kubernetes-validations rule is one the stand-in can evaluate; a rule it cannot is refused
/// here with a clear error rather than ignored later.
/// </summary>
public static class SchemaCompiler
{
    public static void Check(JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["type"] is null && (bool?)schema["x-kubernetes-preserve-unknown-fields"] != true
            && (bool?)schema["x-kubernetes-int-or-string"] != true)
        {
            errors.Add(FieldError.Required(path + ".type", "must not be empty for specified object fields"));
        }
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    Check(childSchema, $"{path}.properties[{name}]", errors);
                }
            }
        }
        if (schema["items"] is JsonObject items)
        {
            Check(items, path + ".items", errors);
        }
        if (schema["additionalProperties"] is JsonObject additional)
        {
            Check(additional, path + ".additionalProperties", errors);
        }
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = (string?)rules[i]?["rule"];
                var rulePath = $"{path}.x-kubernetes-validations[{i}].rule";
                if (string.IsNullOrWhiteSpace(rule))
                {
                    errors.Add(FieldError.Required(rulePath));
                }
                else if (CelRule.TryParse(rule, out var error) is null)
                {
                    errors.Add(FieldError.Invalid(rulePath, "\"" + rule + "\"",
                        $"the stand-in API server does not implement this CEL form ({error}); it evaluates self/oldSelf field selection, has(), size(), literals, comparisons, &&, || and !"));
                }
            }
        }
    }
}
