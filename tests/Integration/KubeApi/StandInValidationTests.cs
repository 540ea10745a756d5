using System.Net;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// Custom resources validated against their CRD's openAPIV3Schema and CEL rules, with
/// kube-apiserver's 422 Invalid Status (causes per field), pruning, and fieldValidation=Strict.
/// </summary>
public sealed class StandInValidationTests : IClassFixture<StandInFixture>
{
    private readonly KubeApiServerProcess _server;

    public StandInValidationTests(StandInFixture fixture) => _server = fixture.Server;

    private HttpClient Api => _server.Client;

    private static List<string?> Fields(JsonObject status) =>
        [.. status["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"])];

    [Fact]
    public async Task Create_WrongTypeAndEnumAndBounds_Invalid422WithCauses()
    {
        var (code, status) = await Api.PostJsonAsync(KubeHttp.Widgets,
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"bad"},"spec":{"size":"big","color":"green"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("Widget", (string?)status["details"]!["kind"]);
        Assert.Contains("spec.size", Fields(status));
        Assert.Contains("spec.color", Fields(status));
        Assert.Contains("must be of type integer", status.ToJsonString(), StringComparison.Ordinal);

        var (tooBig, bounds) = await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("huge", 1000));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig);
        Assert.Contains("should be less than or equal to 100", (string?)bounds["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingRequired_Invalid422()
    {
        var (code, status) = await Api.PostJsonAsync(KubeHttp.Widgets,
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"nosize"},"spec":{"color":"red"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(["spec.size"], Fields(status));
        Assert.Equal("FieldValueRequired", (string?)status["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task Create_UnknownField_PrunedByDefault_RejectedWhenStrict()
    {
        var body = """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"extra"},"spec":{"size":1,"colour":"red","labels":{"free":"form"}}}""";
        var (strictCode, strict) = await Api.PostJsonAsync(KubeHttp.Widgets + "?fieldValidation=Strict", body);
        Assert.Equal(HttpStatusCode.BadRequest, strictCode);
        Assert.Contains("unknown field \"spec.colour\"", (string?)strict["message"], StringComparison.Ordinal);

        var (code, created) = await Api.PostJsonAsync(KubeHttp.Widgets, body);
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Null(created["spec"]!["colour"]);
        Assert.Equal("form", (string?)created["spec"]!["labels"]!["free"]);
    }

    [Fact]
    public async Task Update_ImmutableByCelRule_Invalid422WithRuleMessage()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets,
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"imm"},"spec":{"size":1,"cidr":"10.0.0.0/16"}}""");
        var (same, _) = await Api.PutJsonAsync(KubeHttp.Widgets + "/imm",
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"imm"},"spec":{"size":2,"cidr":"10.0.0.0/16"}}""");
        Assert.Equal(HttpStatusCode.OK, same);

        var (code, status) = await Api.PutJsonAsync(KubeHttp.Widgets + "/imm",
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"imm"},"spec":{"size":2,"cidr":"10.1.0.0/16"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(["spec.cidr"], Fields(status));
        Assert.Contains("cidr is immutable", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCrd_UnsupportedCelRule_RefusedWithClearError()
    {
        var crd = KubeHttp.WidgetCrd.Replace("widgets", "gadgets", StringComparison.Ordinal).Replace("Widget", "Gadget", StringComparison.Ordinal)
            .Replace("widget,", "gadget,", StringComparison.Ordinal).Replace("[wd]", "[gd]", StringComparison.Ordinal)
            .Replace("rule: self == oldSelf", "rule: self.matches('^10\\\\.')", StringComparison.Ordinal);
        using var content = new StringContent(crd, System.Text.Encoding.UTF8, "application/yaml");
        using var response = await Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", content);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("x-kubernetes-validations[0].rule", (string?)status["message"], StringComparison.Ordinal);
        Assert.Contains("does not implement this CEL form", (string?)status["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetJsonAsync("/apis/example.io/v1/gadgets")).Code);
    }
}
