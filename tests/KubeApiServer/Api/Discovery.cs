using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// Legacy discovery documents (/version, /api, /api/v1, /apis, /apis/G, /apis/G/V), built from
/// the registry on each request so a new CRD's group shows up at once. Clients asking for
/// aggregated discovery (Accept ...as=APIGroupDiscoveryList) get these with a plain
/// application/json content type and fall back to legacy discovery, as client-go does.
/// </summary>
public sealed class Discovery
{
    private readonly ServerState _state;

    private readonly OpenApi _openApi;

    public Discovery(ServerState state)
    {
        _state = state;
        _openApi = new OpenApi(state);
    }

    public const string GitVersion = "v1.34.0";

    public JsonNode? Find(string path, string accept)
    {
        _ = accept;
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["version"] => Version(),
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
                {
                    ["clientCIDR"] = "0.0.0.0/0",
                    ["serverAddress"] = new System.Net.IPEndPoint(_state.Options.Address, _state.Options.Port).ToString(),
                }),
            },
            ["api", "v1"] => ResourceList("", "v1"),
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. _state.Registry.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions))]),
            },
            ["apis", var group] => _state.Registry.Groups().Where(g => g.Group == group).Select(g => (JsonNode)Group(g.Group, g.Versions)).FirstOrDefault(),
            ["apis", var group, var version] => ResourceList(group, version),
            ["openapi", ..] => _openApi.Find(parts),
            _ => null,
        };
    }

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray();
        foreach (var version in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = group + "/" + version, ["version"] = version });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = list[0]!.DeepClone(),
        };
    }

    private JsonObject? ResourceList(string group, string version)
    {
        var types = _state.Registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var main = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (type.ShortNames.Count > 0)
            {
                main["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }
            if (type.Categories.Count > 0)
            {
                main["categories"] = new JsonArray([.. type.Categories.Select(s => (JsonNode)s)]);
            }
            resources.Add(main);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            foreach (var sub in type.ExtraSubresources)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/" + sub,
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["group"] = "authentication.k8s.io",
                    ["version"] = "v1",
                    ["kind"] = "TokenRequest",
                    ["verbs"] = new JsonArray("create"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }
}
