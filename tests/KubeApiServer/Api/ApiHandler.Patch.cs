using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Auth;
using RoutedNet.KubeApiServer.Patching;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    /// <summary>
    /// PATCH: JSON merge, strategic merge (built-in kinds only: kube-apiserver refuses it for
    /// custom resources with 415), JSON patch and server-side apply. The patched object then
    /// goes through the same update path (RV precondition if the patch sets one, status split,
    /// validation, generation).
    /// </summary>
    private (int, JsonObject) Patch(ResourceType type, ApiPath path, string contentType, byte[] body, IQueryCollection query, UserInfo user)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (media == "application/apply-patch+yaml")
        {
            return Apply(type, path, ParseBody(media, body) as JsonObject ?? throw Status.BadRequest("the apply body is not an object"), query);
        }
        if (media is not ("application/merge-patch+json" or "application/json-patch+json" or "application/strategic-merge-patch+json")
            || (media == "application/strategic-merge-patch+json" && type.IsCustom))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(type.IsCustom ? "" : ", application/strategic-merge-patch+json")}");
        }
        var patch = ParseBody(media, body);
        lock (Store.Gate)
        {
            var current = Store.Peek(type, ObjectStore.KeyOf(path.Namespace, path.Name!)) ?? throw Status.NotFound(type, path.Name!);
            var patched = media switch
            {
                "application/merge-patch+json" => MergePatch.Apply(current, patch),
                "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(current, patch),
                _ => JsonPatch.Apply(current, patch),
            } as JsonObject ?? throw Status.BadRequest("the patch did not result in an object");
            if (ObjectRules.Name(patched) != path.Name)
            {
                throw Status.BadRequest($"the name of the object ({ObjectRules.Name(patched)}) does not match the name on the URL ({path.Name})");
            }
            return Replace(type, path, current, patched, query, null);
        }
    }
}
