using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>
/// What a Kubernetes API server does with a custom resource and its CRD's structural schema, for
/// the keywords our CRDs use: types, required, enum, pattern, lengths, bounds, unknown fields
/// refused (fieldValidation=Strict), nulls pruned unless nullable, and the CEL rules we write. Any other keyword or rule is an error here, so that a CRD never holds a constraint
/// these tests silently skip. The test's oracle, not the stand-in server's validator.
/// </summary>
public static class StructuralSchema
{
    private static readonly HashSet<string> Keywords =
    [
        "description", "type", "format", "properties", "required", "items", "additionalProperties", "nullable",
        "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "x-kubernetes-validations", "x-kubernetes-int-or-string",
    ];

    // The CEL rules our CRDs hold besides `self == oldSelf`, each with what it means in C#. A rule
    // whose text is not here is an error: the CRD and this table change together.
    private static readonly Dictionary<string, Func<JsonObject?, JsonObject?, bool>> KnownRules = new(StringComparer.Ordinal)
    {
        // ippools spec: the block size in force is unchanged when blockSize is added or dropped
        // only if the value written out is a family default (24 or 122).
        ["(has(self.blockSize) == has(oldSelf.blockSize)) || (has(self.blockSize) && (self.blockSize == 24 || self.blockSize == 122)) || (has(oldSelf.blockSize) && (oldSelf.blockSize == 24 || oldSelf.blockSize == 122))"] =
            (self, old) => (self?["blockSize"] is null) == (old?["blockSize"] is null) || IsDefaultBlockSize(self?["blockSize"]) || IsDefaultBlockSize(old?["blockSize"]),
    };

    /// <summary>The errors (field: why) for <paramref name="value"/>; <paramref name="old"/> is the stored object on an update.</summary>
    public static IReadOnlyList<string> Validate(JsonObject schema, JsonNode? value, JsonNode? old = null)
    {
        var errors = new List<string>();
        Check(schema, value, old, "", errors);
        return errors;
    }

    private static void Check(JsonObject schema, JsonNode? value, JsonNode? old, string path, List<string> errors)
    {
        foreach (var keyword in schema.Select(p => p.Key).Where(k => !Keywords.Contains(k)))
        {
            throw new InvalidOperationException($"{path}: schema keyword {keyword} is unknown to this evaluator; teach it first");
        }
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add($"{Field(path)}: must not be null");
            }
            return;
        }
        var type = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true ? "int-or-string" : schema["type"]!.GetValue<string>();
        var before = errors.Count;
        switch (type)
        {
            case "int-or-string" when value.GetValueKind() is JsonValueKind.String || (value.GetValueKind() == JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)):
                break;
            case "number" when value.GetValueKind() == JsonValueKind.Number:
                break;
            case "object":
                CheckObject(schema, value, old, path, errors);
                break;
            case "array" when value is JsonArray array:
                var items = schema["items"]!.AsObject();
                for (var i = 0; i < array.Count; i++)
                {
                    Check(items, array[i], null, $"{path}[{i}]", errors);
                }
                break;
            case "string" when value.GetValueKind() == JsonValueKind.String:
                CheckString(schema, value.GetValue<string>(), path, errors);
                break;
            case "integer" when value.GetValueKind() == JsonValueKind.Number && decimal.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                CheckNumber(schema, n, path, errors);
                break;
            case "boolean" when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                break;
            default:
                errors.Add($"{Field(path)}: must be of type {type}");
                break;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{Field(path)}: Unsupported value: {value.ToJsonString()}");
        }
        if (errors.Count == before && old is not null && schema["x-kubernetes-validations"] is JsonArray rules)
        {
            CheckTransitionRules(rules, value, old, path, errors);
        }
    }

    private static void CheckObject(JsonObject schema, JsonNode value, JsonNode? old, string path, List<string> errors)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{Field(path)}: must be of type object");
            return;
        }
        if (path == ".metadata")
        {
            return; // ObjectMeta: the API server's own, not the CRD's.
        }
        var properties = schema["properties"]?.AsObject();
        var additional = schema["additionalProperties"]?.AsObject();
        foreach (var (name, child) in obj)
        {
            var childSchema = properties?[name]?.AsObject() ?? additional;
            var childPath = properties?[name] is null && additional is not null ? $"{path}[{name}]" : $"{path}.{name}";
            if (childSchema is null)
            {
                errors.Add($"{Field(childPath)}: unknown field \"{Field(childPath)}\"");
            }
            else if (child is null && childSchema["nullable"]?.GetValue<bool>() != true)
            {
                // Pruned, as the API server does with a null the schema does not allow.
            }
            else
            {
                Check(childSchema, child, (old as JsonObject)?[name], childPath, errors);
            }
        }
        foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (obj[name] is null)
            {
                errors.Add($"{Field($"{path}.{name}")}: Required value");
            }
        }
    }

    private static void CheckString(JsonObject schema, string text, string path, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant))
        {
            errors.Add($"{Field(path)}: should match '{pattern}'");
        }
        if (schema["minLength"]?.GetValue<long>() is { } min && length < min)
        {
            errors.Add($"{Field(path)}: should be at least {min} chars long");
        }
        if (schema["maxLength"]?.GetValue<long>() is { } max && length > max)
        {
            errors.Add($"{Field(path)}: may not be more than {max} characters");
        }
        if (schema["format"]?.GetValue<string>() == "date-time"
            && !DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"{Field(path)}: must be a date-time");
        }
    }

    private static void CheckNumber(JsonObject schema, decimal n, string path, List<string> errors)
    {
        if (n != decimal.Truncate(n))
        {
            errors.Add($"{Field(path)}: must be of type integer");
        }
        if (schema["minimum"]?.GetValue<long>() is { } min && n < min)
        {
            errors.Add($"{Field(path)}: should be greater than or equal to {min}");
        }
        if (schema["maximum"]?.GetValue<long>() is { } max && n > max)
        {
            errors.Add($"{Field(path)}: should be less than or equal to {max}");
        }
    }

    private static void CheckTransitionRules(JsonArray rules, JsonNode value, JsonNode old, string path, List<string> errors)
    {
        foreach (var rule in rules.Select(r => r!.AsObject()))
        {
            var text = rule["rule"]!.GetValue<string>();
            bool holds;
            if (text == "self == oldSelf")
            {
                holds = JsonNode.DeepEquals(value, old);
            }
            else if (KnownRules.TryGetValue(text, out var meaning))
            {
                holds = meaning(value as JsonObject, old as JsonObject);
            }
            else
            {
                throw new InvalidOperationException($"{path}: CEL rule \"{text}\" is unknown to this evaluator; teach it first");
            }
            if (!holds)
            {
                errors.Add($"{Field(path)}: Invalid value: {rule["message"]?.GetValue<string>() ?? text}");
            }
        }
    }

    private static bool IsDefaultBlockSize(JsonNode? value) => value is not null && value.GetValue<long>() is 24 or 122;

    private static string Field(string path) => path.TrimStart('.');
}
