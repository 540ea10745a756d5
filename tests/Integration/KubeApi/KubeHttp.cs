using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Integration.KubeApi;

/// <summary>Raw HTTP against the stand-in: status code plus the parsed JSON body, nothing hidden.</summary>
public static class KubeHttp
{
    public static async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(this HttpClient client, HttpMethod method, string path,
        string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject());
    }

    public static Task<(HttpStatusCode Code, JsonObject Body)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    public static Task<(HttpStatusCode Code, JsonObject Body)> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.SendAsync(HttpMethod.Post, path, json);

    public static Task<(HttpStatusCode Code, JsonObject Body)> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.SendAsync(HttpMethod.Put, path, json);

    public static string Rv(this JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;

    /// <summary>A cluster-scoped test CRD (widgets.example.io, status subresource) until charts/routednet/crds lands.</summary>
    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.io
        spec:
          group: example.io
          scope: Cluster
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 1, maximum: 100}
                      color: {type: string, enum: [red, blue]}
                      cidr:
                        type: string
                        x-kubernetes-validations:
                        - rule: self == oldSelf
                          message: cidr is immutable
                      labels:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
        """;

    public const string Widgets = "/apis/example.io/v1/widgets";

    public static string Widget(string name, int size, string labels = "{}") =>
        "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + (name) + "\",\"labels\":" + (labels) + "},\"spec\":{\"size\":" + (size) + "}}";
}
