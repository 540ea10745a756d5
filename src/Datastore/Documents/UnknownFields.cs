using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Documents;

/// <summary>
/// Walks a document beside the kind's source-generated contract (no reflection: the CNI binary is
/// NativeAOT) and names the first field the contract does not have, or that is null where its
/// type allows none. Before this, a misspelt <c>blocksize:</c> was dropped silently and the pool
/// got the default block size.
/// </summary>
internal static class UnknownFields
{
    public static void Check(JsonElement element, JsonTypeInfo contract, string path)
    {
        switch (contract.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var field = Join(path, property.Name);
                    if (KeptVerbatim(contract, property.Name))
                    {
                        continue;
                    }
                    var known = contract.Properties.FirstOrDefault(p => p.Name == property.Name)
                        ?? throw Unknown(field, path, property.Name, contract);
                    // `spec:` with nothing under it is null in YAML; a null where the type has
                    // none reached the validator as a NullReferenceException and a stack trace.
                    if (property.Value.ValueKind == JsonValueKind.Null && !known.IsSetNullable)
                    {
                        throw new ResourceValidationException($"{field} must not be null (empty in YAML)");
                    }
                    Check(property.Value, contract.Options.GetTypeInfo(known.PropertyType), field);
                }
                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array && contract.ElementType is { } item:
                var index = 0;
                foreach (var value in element.EnumerateArray())
                {
                    Check(value, contract.Options.GetTypeInfo(item), $"{path}[{index++}]");
                }
                break;
            case JsonTypeInfoKind.Dictionary when element.ValueKind == JsonValueKind.Object && contract.ElementType is { } entry:
                foreach (var property in element.EnumerateObject())
                {
                    Check(property.Value, contract.Options.GetTypeInfo(entry), Join(path, property.Name));
                }
                break;
            default:
                // A scalar, or a value of the wrong shape: deserialisation names the latter.
                break;
        }
    }

    /// <summary>A field the kind keeps as written without reading it (Kubernetes' other ServiceSpec fields): the API server checks those.</summary>
    private static bool KeptVerbatim(JsonTypeInfo contract, string name) =>
        contract.Type == typeof(Resources.ServiceSpec) && Resources.ServiceSpec.KubernetesFields.Contains(name);

    private static ResourceValidationException Unknown(string field, string path, string name, JsonTypeInfo contract)
    {
        var near = contract.Properties
            .Select(p => p.Name)
            .Where(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase) || Distance(p, name) <= 2)
            .OrderBy(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(p, name))
            .FirstOrDefault();
        return new ResourceValidationException(
            $"unknown field {field}" + (near is null ? "" : $" (did you mean {Join(path, near)}?)"));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    // Levenshtein distance, for "did you mean": field names are short, so the plain table is fine.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
