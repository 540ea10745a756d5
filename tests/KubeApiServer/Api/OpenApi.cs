using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// Minimal /openapi/v3 documents: the index of group-versions, and per group-version the paths
/// with their operations tagged x-kubernetes-group-version-kind and the fieldValidation query
/// parameter, plus each CRD's schema. kubectl reads exactly this to decide that the server
/// validates fields itself (so it sends fieldValidation=Strict instead of validating client-side).
/// </summary>
public sealed class OpenApi
{
    private readonly ServerState _state;

    public OpenApi(ServerState state) => _state = state;

    public JsonNode? Find(string[] parts)
    {
        if (parts is ["openapi", "v3"])
        {
            var paths = new JsonObject();
            foreach (var gv in _state.Registry.All.Select(t => t.Group.Length == 0 ? "api/" + t.Version : $"apis/{t.Group}/{t.Version}").Distinct())
            {
                paths[gv] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + gv };
            }
            return new JsonObject { ["paths"] = paths };
        }
        if (parts.Length >= 3 && parts[0] == "openapi" && parts[1] == "v3")
        {
            var rest = parts[2..];
            var (group, version) = rest switch
            {
                ["api", var v] => ("", v),
                ["apis", var g, var v] => (g, v),
                _ => (null!, null!),
            };
            if (group is null)
            {
                return null;
            }
            var types = _state.Registry.All.Where(t => t.Group == group && t.Version == version).ToList();
            return types.Count == 0 ? null : Document(group, version, types);
        }
        return null;
    }

    private static JsonObject Document(string group, string version, List<ResourceType> types)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            var schemaName = SchemaName(type);
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(type, "list", false),
                ["post"] = Operation(type, "post", true),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(type, "get", false),
                ["put"] = Operation(type, "put", true),
                ["patch"] = Operation(type, "patch", true),
                ["delete"] = Operation(type, "delete", false),
            };
            if (type.HasStatus)
            {
                paths[collection + "/{name}/status"] = new JsonObject
                {
                    ["get"] = Operation(type, "get", false),
                    ["put"] = Operation(type, "put", true),
                    ["patch"] = Operation(type, "patch", true),
                };
            }
            var schema = type.Schema?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type));
            schemas[schemaName] = schema;
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (routednet-test-apiserver stand-in)", ["version"] = Discovery.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(ResourceType type)
    {
        var reversed = string.Join('.', (type.Group.Length == 0 ? "core" : type.Group).Split('.').Reverse());
        return $"{reversed}.{type.Version}.{type.Kind}";
    }

    private static JsonObject Gvk(ResourceType type) => new()
    {
        ["group"] = type.Group,
        ["version"] = type.Version,
        ["kind"] = type.Kind,
    };

    private static JsonObject Operation(ResourceType type, string action, bool write)
    {
        var parameters = new JsonArray();
        if (write)
        {
            foreach (var name in new[] { "dryRun", "fieldManager", "fieldValidation" })
            {
                parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
            }
        }
        return new JsonObject
        {
            ["operationId"] = action + type.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(type),
        };
    }
}
