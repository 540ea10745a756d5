using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>
/// A resource's JSON shape as sorted lines, one per field (<c>spec.blockSize integer/int32</c>,
/// <c>spec.allocations[] integer/int32 nullable</c>, <c>spec.block{} integer/int32</c>, with
/// <c>required</c> where the field must be present), drawn either from the record's
/// source-generated JSON contract or from a CRD's openAPIV3Schema, so that the two compare line by
/// line and a difference names the field.
/// </summary>
public static class ContractShape
{
    /// <summary>From the record's contract; <paramref name="required"/> are the paths the datastore cannot do without.</summary>
    public static IReadOnlyList<string> FromContract(JsonTypeInfo contract, IReadOnlySet<string> required)
    {
        var lines = new List<string>();
        foreach (var property in contract.Properties.Where(IsSerialized))
        {
            var path = property.Name;
            if (path == "metadata")
            {
                // The Kubernetes ObjectMeta: the API server's, which a CRD's schema may not describe.
                lines.Add(Line(path, "object", required));
                continue;
            }
            Walk(contract.Options.GetTypeInfo(property.PropertyType), path, nullable: false, required, lines);
        }
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>From a CRD version's openAPIV3Schema.</summary>
    public static IReadOnlyList<string> FromSchema(JsonObject schema)
    {
        var lines = new List<string>();
        WalkSchema(schema, "", required: false, lines);
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static void Walk(JsonTypeInfo info, string path, bool nullable, IReadOnlySet<string> required, List<string> lines)
    {
        var options = info.Options;
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                lines.Add(Line(path, "object", required, nullable));
                foreach (var property in info.Properties.Where(IsSerialized))
                {
                    Walk(options.GetTypeInfo(property.PropertyType), $"{path}.{property.Name}", nullable: false, required, lines);
                }
                break;
            case JsonTypeInfoKind.Enumerable:
                lines.Add(Line(path, "array", required, nullable));
                Walk(options.GetTypeInfo(info.ElementType!), path + "[]", IsNullableValue(info.ElementType!), required, lines);
                break;
            case JsonTypeInfoKind.Dictionary:
                lines.Add(Line(path, "object", required, nullable));
                Walk(options.GetTypeInfo(info.ElementType!), path + "{}", IsNullableValue(info.ElementType!), required, lines);
                break;
            // Read by its own converter ({cidr} or a bare string), written as {cidr}: the mapping,
            // whose cidr the converter refuses to go without.
            case JsonTypeInfoKind.None when info.Type == typeof(RoutedNet.Datastore.Resources.ServiceCidr):
                lines.Add(Line(path, "object", required, nullable));
                lines.Add(path + ".cidr string required");
                break;
            default:
                lines.Add(Line(path, Scalar(info.Type), required, nullable));
                break;
        }
    }

    private static void WalkSchema(JsonObject schema, string path, bool required, List<string> lines)
    {
        // x-kubernetes-int-or-string has no type: a number or a string (IntOrString in the records).
        var type = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true ? "int-or-string" : schema["type"]!.GetValue<string>();
        var nullable = schema["nullable"]?.GetValue<bool>() == true;
        if (path.Length > 0)
        {
            var format = schema["format"]?.GetValue<string>();
            lines.Add(path + " " + type + (format is null ? "" : "/" + format) + (nullable ? " nullable" : "") + (required ? " required" : ""));
        }
        if (type == "array")
        {
            WalkSchema(schema["items"]!.AsObject(), path + "[]", required: false, lines);
        }
        else if (schema["additionalProperties"] is JsonObject values)
        {
            WalkSchema(values, path + "{}", required: false, lines);
        }
        else if (schema["properties"] is JsonObject properties)
        {
            var mandatory = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (name, child) in properties)
            {
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                if (childPath == "metadata")
                {
                    lines.Add(childPath + " object" + (mandatory.Contains(name) ? " required" : ""));
                    continue;
                }
                WalkSchema(child!.AsObject(), childPath, mandatory.Contains(name), lines);
            }
        }
    }

    private static string Line(string path, string type, IReadOnlySet<string> required, bool nullable = false) =>
        path + " " + type + (nullable ? " nullable" : "") + (required.Contains(path) ? " required" : "");

    // [JsonIgnore] properties (Resource.Name) stay in the contract with neither getter nor setter.
    private static bool IsSerialized(JsonPropertyInfo property) => property.Get is not null || property.Set is not null;

    private static bool IsNullableValue(Type type) => Nullable.GetUnderlyingType(type) is not null;

    // The OpenAPI type/format each CLR scalar serialises as. uint needs int64 to hold 4294967295.
    private static string Scalar(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "string",
        var t when t == typeof(bool) => "boolean",
        var t when t == typeof(int) => "integer/int32",
        var t when t == typeof(uint) || t == typeof(long) => "integer/int64",
        var t when t == typeof(DateTimeOffset) => "string/date-time",
        var t when t == typeof(double) => "number/double",
        var t when t == typeof(RoutedNet.Datastore.Resources.IntOrString) => "int-or-string",
        var t => throw new InvalidOperationException($"no OpenAPI type known for {t.Name}: add it to ContractShape"),
    };
}
