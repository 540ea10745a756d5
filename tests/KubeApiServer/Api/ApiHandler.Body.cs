using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var node = ParseBody(ctx.Request.ContentType ?? "application/json", await ReadBodyAsync(ctx));
        return node as JsonObject ?? throw Status.BadRequest("the request body is not an object");
    }

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext ctx)
    {
        var bytes = await ReadBodyAsync(ctx);
        return bytes.Length == 0 ? null : ParseBody(ctx.Request.ContentType ?? "application/json", bytes) as JsonObject;
    }

    /// <summary>JSON or YAML, as kube-apiserver accepts request bodies; protobuf for the few kinds helm sends that way (README "Testing").</summary>
    public static JsonNode? ParseBody(string contentType, byte[] bytes)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        try
        {
            return media switch
            {
                "" or "application/json" or "application/merge-patch+json" or "application/strategic-merge-patch+json"
                    or "application/json-patch+json" => JsonNode.Parse(bytes),
                "application/yaml" or "application/apply-patch+yaml" or "application/x-yaml" or "text/yaml" =>
                    Yaml.YamlToJson.Parse(Encoding.UTF8.GetString(bytes)),
                "application/vnd.kubernetes.protobuf" => Protobuf.KubeProtobuf.Decode(bytes),
                _ => throw Status.UnsupportedMediaType(media),
            };
        }
        catch (JsonException e)
        {
            throw Status.BadRequest("the object provided is unrecognized or the body could not be decoded: " + e.Message);
        }
    }
}
