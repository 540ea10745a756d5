using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) for the built-in kinds, on
/// the subset RoutedNet, kubectl and helm send: maps merge as in a merge patch, lists with a
/// patchMergeKey in the Kubernetes types (conditions and addresses by type, containers, volumes,
/// env by name, ports by containerPort, taints by key) merge element-wise, `$patch: delete` in a
/// list element removes it, `$patch: replace` replaces the map; other lists are replaced.
/// </summary>
public static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["conditions"] = "type",
        ["addresses"] = "type",
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["ports"] = "containerPort",
        ["taints"] = "key",
        ["ownerReferences"] = "uid",
        ["podIPs"] = "ip",
        ["hostAliases"] = "ip",
    };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, string? field = null)
    {
        if (patch is JsonObject patchObj)
        {
            if ((string?)patchObj["$patch"] == "replace")
            {
                var replaced = (JsonObject)patchObj.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            }
            var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
            foreach (var (key, value) in patchObj)
            {
                if (key.StartsWith('$'))
                {
                    continue;
                }
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = Apply(result[key], value, key);
                }
            }
            return result;
        }
        if (patch is JsonArray patchArr && field is not null && MergeKeys.TryGetValue(field, out var mergeKey) && target is JsonArray targetArr)
        {
            var result = (JsonArray)targetArr.DeepClone();
            foreach (var item in patchArr)
            {
                if (item is not JsonObject itemObj || itemObj[mergeKey] is null)
                {
                    result.Add(item?.DeepClone());
                    continue;
                }
                var keyValue = itemObj[mergeKey]!.ToJsonString();
                var index = result.ToList().FindIndex(e => e is JsonObject o && o[mergeKey]?.ToJsonString() == keyValue);
                if ((string?)itemObj["$patch"] == "delete")
                {
                    if (index >= 0)
                    {
                        result.RemoveAt(index);
                    }
                }
                else if (index >= 0)
                {
                    result[index] = Apply(result[index], itemObj);
                }
                else
                {
                    result.Add(Apply(null, itemObj));
                }
            }
            return result;
        }
        return patch?.DeepClone();
    }
}
