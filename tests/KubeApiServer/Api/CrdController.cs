using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Validation;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// What apiextensions-apiserver does with a CustomResourceDefinition: checks it (names, scope,
/// versions, the schema and its rules), marks it NamesAccepted and Established (helm waits for
/// that), and serves its resource at every served version; deleting it removes the resource
/// with all its objects.
/// </summary>
public sealed class CrdController
{
    private readonly ServerState _state;

    public CrdController(ServerState state) => _state = state;

    private static ResourceType CrdType(ServerState state) => state.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;

    public void PrepareCreate(JsonObject crd)
    {
        Check(crd);
        var names = (JsonObject)crd["spec"]!["names"]!.DeepClone();
        names["singular"] ??= ((string)names["kind"]!).ToLowerInvariant();
        names["listKind"] ??= (string)names["kind"]! + "List";
        var storage = ((JsonArray)crd["spec"]!["versions"]!).OfType<JsonObject>().First(v => (bool?)v["storage"] == true);
        var now = ObjectRules.Timestamp(_state.Time.GetUtcNow());
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray((string?)storage["name"]),
        };
    }

    public void PrepareUpdate(JsonObject next, JsonObject current)
    {
        Check(next);
        var errors = new List<FieldError>();
        foreach (var field in new[] { "group", "scope" })
        {
            if (!JsonNode.DeepEquals(next["spec"]?[field], current["spec"]?[field]))
            {
                errors.Add(FieldError.Invalid("spec." + field, "\"" + (string?)next["spec"]?[field] + "\"", "field is immutable"));
            }
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(CrdType(_state), ObjectRules.Name(next) ?? "", errors);
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private void Check(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var name = ObjectRules.Name(crd) ?? "";
        var group = (string?)spec?["group"];
        var plural = (string?)spec?["names"]?["plural"];
        var kind = (string?)spec?["names"]?["kind"];
        var scope = (string?)spec?["scope"];
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        if (scope is not ("Cluster" or "Namespaced"))
        {
            errors.Add(scope is null ? FieldError.Required("spec.scope") : FieldError.NotSupported("spec.scope", "\"" + scope + "\"", ["\"Cluster\"", "\"Namespaced\""]));
        }
        if (group is not null && plural is not null && name != plural + "." + group)
        {
            errors.Add(FieldError.Invalid("metadata.name", "\"" + name + "\"", $"must be spec.names.plural+\".\"+spec.group"));
        }
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", "null", "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => (bool?)v["storage"] == true) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}", "must have exactly one version marked as storage version"));
        }
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                SchemaCompiler.Check(schema, $"spec.versions[{i}].schema.openAPIV3Schema", errors);
            }
            else
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
            }
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(CrdType(_state), name, errors);
        }
    }

    public void Register(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var group = (string)spec["group"]!;
        var names = (JsonObject)spec["names"]!;
        var plural = (string)names["plural"]!;
        var kind = (string)names["kind"]!;
        var types = new List<ResourceType>();
        foreach (var version in ((JsonArray)spec["versions"]!).OfType<JsonObject>().Where(v => (bool?)v["served"] != false))
        {
            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject;
            types.Add(new ResourceType
            {
                Group = group,
                Version = (string)version["name"]!,
                Plural = plural,
                Singular = (string?)names["singular"] ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = (string?)spec["scope"] == "Namespaced",
                HasStatus = version["subresources"]?["status"] is not null,
                HasGeneration = true,
                IsCustom = true,
                ShortNames = [.. (names["shortNames"] as JsonArray ?? []).Select(n => (string)n!)],
                Categories = [.. (names["categories"] as JsonArray ?? []).Select(n => (string)n!)],
                SelectableFields = [.. (version["selectableFields"] as JsonArray ?? []).Select(f => ((string)f!["jsonPath"]!).TrimStart('.'))],
                Schema = schema,
                Compiled = schema is null ? null : new CompiledSchema(schema),
                PrinterColumns = version["additionalPrinterColumns"] as JsonArray,
            });
        }
        _state.Registry.ReplaceCustom(group, plural, types);
    }

    public void Unregister(JsonObject crd)
    {
        var group = (string)crd["spec"]!["group"]!;
        var plural = (string)crd["spec"]!["names"]!["plural"]!;
        var existing = _state.Registry.All.FirstOrDefault(t => t.IsCustom && t.Group == group && t.Plural == plural);
        _state.Registry.ReplaceCustom(group, plural, []);
        if (existing is not null)
        {
            _state.Store.DropResource(existing);
        }
    }
}
