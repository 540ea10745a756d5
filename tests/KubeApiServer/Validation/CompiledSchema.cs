using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Validation;

/// <summary>
/// A CRD version's structural openAPIV3Schema applied to an object as kube-apiserver does:
/// defaults filled, unknown fields pruned (or reported for fieldValidation=Strict) unless
/// x-kubernetes-preserve-unknown-fields, then type, required, enum, pattern, bounds, lengths,
/// simple formats and the x-kubernetes-validations rules (transition rules only on updates
/// where the old value exists). Messages follow kube-openapi's ("spec.x in body must be of type integer").
/// </summary>
public sealed class CompiledSchema
{
    private readonly JsonObject _schema;

    public CompiledSchema(JsonObject schema) => _schema = schema;

    public void Validate(JsonObject obj, JsonObject? old, bool strict, List<FieldError> errors)
    {
        var properties = _schema["properties"] as JsonObject;
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            if (properties?[key] is JsonObject child)
            {
                Walk(value, old?[key], child, key, strict, errors, obj, key);
            }
            else if ((bool?)_schema["x-kubernetes-preserve-unknown-fields"] != true)
            {
                Unknown(obj, key, key, strict, errors);
            }
        }
        ApplyDefaults(obj, _schema);
        Required(obj, _schema, "", errors);
        Rules(obj, old, _schema, "", errors, root: true);
    }

    private static void Unknown(JsonObject parent, string key, string path, bool strict, List<FieldError> errors)
    {
        if (strict)
        {
            errors.Add(FieldError.Unknown(path));
        }
        else
        {
            parent.Remove(key);
        }
    }

    private static void Walk(JsonNode? value, JsonNode? old, JsonObject schema, string path, bool strict, List<FieldError> errors,
        JsonNode parent, string keyOrIndex)
    {
        if (value is null)
        {
            if ((bool?)schema["nullable"] == true)
            {
                return;
            }
            if (parent is JsonObject p && schema["default"] is null)
            {
                // kube-apiserver prunes a null of a non-nullable field without a default.
                p.Remove(keyOrIndex);
                return;
            }
            errors.Add(FieldError.TypeInvalid(path, "\"null\"", $"{path} in body must be of type {(string?)schema["type"]}: \"null\""));
            return;
        }
        if (!TypeMatches(value, schema, out var actual))
        {
            errors.Add(FieldError.TypeInvalid(path, $"\"{actual}\"", $"{path} in body must be of type {(string?)schema["type"]}: \"{actual}\""));
            return;
        }
        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                var preserve = (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;
                foreach (var (key, child) in obj.ToList())
                {
                    var childPath = path + "." + key;
                    if (properties?[key] is JsonObject childSchema)
                    {
                        Walk(child, (old as JsonObject)?[key], childSchema, childPath, strict, errors, obj, key);
                    }
                    else if (additional is not null)
                    {
                        Walk(child, (old as JsonObject)?[key], additional, childPath, strict, errors, obj, key);
                    }
                    else if (!preserve && (bool?)schema["additionalProperties"] != true)
                    {
                        Unknown(obj, key, childPath, strict, errors);
                    }
                }
                ApplyDefaults(obj, schema);
                Required(obj, schema, path, errors);
                Count(obj.Count, schema, "minProperties", "maxProperties", "properties", path, errors);
                break;
            case JsonArray array:
                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        var oldItem = old is JsonArray oldArray && i < oldArray.Count ? oldArray[i] : null;
                        Walk(array[i], oldItem, items, $"{path}[{i}]", strict, errors, array, i.ToString(CultureInfo.InvariantCulture));
                    }
                }
                Count(array.Count, schema, "minItems", "maxItems", "items", path, errors);
                break;
            default:
                Scalar((JsonValue)value, schema, path, errors);
                break;
        }
        Rules(value, old, schema, path, errors, root: false);
    }

    private static bool TypeMatches(JsonNode value, JsonObject schema, out string actual)
    {
        actual = value switch
        {
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
                _ => "null",
            },
            _ => "null",
        };
        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            return actual is "integer" or "string";
        }
        return (string?)schema["type"] switch
        {
            null => true,
            "number" => actual is "number" or "integer",
            var type => type == actual,
        };
    }

    private static bool IsInteger(JsonValue v) =>
        long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
        || (double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && !v.ToJsonString().Contains('.', StringComparison.Ordinal));

    private static void ApplyDefaults(JsonObject obj, JsonObject schema)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }
        foreach (var (key, child) in properties)
        {
            if (!obj.ContainsKey(key) && child?["default"] is { } value)
            {
                obj[key] = value.DeepClone();
            }
        }
    }

    private static void Required(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(r => (string?)r))
        {
            if (name is not null && !obj.ContainsKey(name))
            {
                errors.Add(FieldError.Required(path.Length == 0 ? name : path + "." + name));
            }
        }
    }

    private static void Count(int count, JsonObject schema, string minKey, string maxKey, string noun, string path, List<FieldError> errors)
    {
        if (Json.Long(schema[minKey]) is { } min && count < min)
        {
            errors.Add(new FieldError("FieldValueInvalid", path, $"Invalid value: {count}: {path} in body should have at least {min} {noun}"));
        }
        if (Json.Long(schema[maxKey]) is { } max && count > max)
        {
            errors.Add(new FieldError("FieldValueTooMany", path, $"Too many: {count}: must have at most {max} {noun}"));
        }
    }

    private static void Scalar(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        var shown = value.ToJsonString();
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, shown, allowed.Select(a => a!.ToJsonString())));
        }
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body should match '{pattern}'"));
            }
            if (Json.Long(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
            {
                errors.Add(new FieldError("FieldValueTooLong", path, $"Too long: may not be more than {maxLength} bytes"));
            }
            if (Json.Long(schema["minLength"]) is { } minLength && text.Length < minLength)
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body should be at least {minLength} chars long"));
            }
            if ((string?)schema["format"] is { } format && !FormatMatches(format, text))
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body must be of type {format}: {shown}"));
            }
        }
        else if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
            var exclusiveMin = (bool?)schema["exclusiveMinimum"] == true;
            var exclusiveMax = (bool?)schema["exclusiveMaximum"] == true;
            if (schema["minimum"] is JsonValue min && (exclusiveMin ? number <= Number(min) : number < Number(min)))
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body should be greater than {(exclusiveMin ? "" : "or equal to ")}{min.ToJsonString()}"));
            }
            if (schema["maximum"] is JsonValue max && (exclusiveMax ? number >= Number(max) : number > Number(max)))
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body should be less than {(exclusiveMax ? "" : "or equal to ")}{max.ToJsonString()}"));
            }
            if (schema["multipleOf"] is JsonValue multiple && Number(multiple) != 0 && number % Number(multiple) != 0)
            {
                errors.Add(FieldError.Invalid(path, shown, $"{path} in body should be a multiple of {multiple.ToJsonString()}"));
            }
        }
    }

    private static double Number(JsonValue v) => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>The formats kube-openapi checks that RoutedNet's schemas may use; others are accepted as kube does for unknown formats.</summary>
    public static bool FormatMatches(string format, string text) => format switch
    {
        "ipv4" => IPAddress.TryParse(text, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(text, out var a6) && a6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(text, out _) || (text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text.Split('/')[0], out _)
                  && int.TryParse(text.Split('/')[1], CultureInfo.InvariantCulture, out var bits) && bits >= 0 && bits <= (text.Contains(':', StringComparison.Ordinal) ? 128 : 32)),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.Contains('T', StringComparison.Ordinal),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "hostname" => text.Length <= 255 && text.Split('.').All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')),
        _ => true,
    };

    private static void Rules(JsonNode? value, JsonNode? old, JsonObject schema, string path, List<FieldError> errors, bool root)
    {
        if (schema["x-kubernetes-validations"] is not JsonArray rules)
        {
            return;
        }
        foreach (var rule in rules.OfType<JsonObject>())
        {
            var compiled = CelRule.TryParse((string?)rule["rule"] ?? "", out _);
            if (compiled is null || (compiled.IsTransition && old is null))
            {
                continue;
            }
            if (!compiled.Evaluate(value, old, out var evalError))
            {
                var field = path;
                if ((string?)rule["fieldPath"] is { } fieldPath)
                {
                    field = (path.Length == 0 ? "" : path) + fieldPath;
                    field = field.TrimStart('.');
                }
                var shown = value switch { JsonObject => "\"object\"", JsonArray => "\"array\"", JsonValue v when v.GetValueKind() == JsonValueKind.String => "\"string\"", JsonValue v => "\"" + (v.GetValueKind() == JsonValueKind.Number ? "integer" : "boolean") + "\"", _ => "\"null\"" };
                var message = evalError is not null
                    ? evalError
                    : (string?)rule["message"] ?? "failed rule: " + (string?)rule["rule"];
                errors.Add(FieldError.Invalid(root && field.Length == 0 ? "<nil>" : field, shown, message));
            }
        }
    }
}
