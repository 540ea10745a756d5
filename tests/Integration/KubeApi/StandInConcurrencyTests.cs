using System.Net;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// The stand-in API server's write semantics over HTTP (lab notes §4): optimistic concurrency,
/// create of a taken name, delete preconditions, finalizers, status subresource and generation,
/// with kube-apiserver's Status bodies.
/// </summary>
public sealed class StandInConcurrencyTests : IClassFixture<StandInFixture>
{
    private readonly KubeApiServerProcess _server;

    public StandInConcurrencyTests(StandInFixture fixture) => _server = fixture.Server;

    private HttpClient Api => _server.Client;

    [Fact]
    public async Task Update_StaleResourceVersion_Conflict409()
    {
        var (_, created) = await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("stale", 1));
        var (code, first) = await Api.PutJsonAsync(KubeHttp.Widgets + "/stale",
            "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"stale\",\"resourceVersion\":\"" + (created.Rv()) + "\"},\"spec\":{\"size\":2}}");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.NotEqual(created.Rv(), first.Rv());

        var (staleCode, status) = await Api.PutJsonAsync(KubeHttp.Widgets + "/stale",
            "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"stale\",\"resourceVersion\":\"" + (created.Rv()) + "\"},\"spec\":{\"size\":3}}");

        Assert.Equal(HttpStatusCode.Conflict, staleCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(409, (int?)status["code"]);
        Assert.Contains("the object has been modified", (string?)status["message"], StringComparison.Ordinal);
        var (_, now) = await Api.GetJsonAsync(KubeHttp.Widgets + "/stale");
        Assert.Equal(2, (int?)now["spec"]!["size"]);
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsUnconditional()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("uncond", 1));
        var (code, updated) = await Api.PutJsonAsync(KubeHttp.Widgets + "/uncond", KubeHttp.Widget("uncond", 5));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(5, (int?)updated["spec"]!["size"]);
        Assert.Equal(2, (int?)updated["metadata"]!["generation"]);
    }

    [Fact]
    public async Task Create_NameTaken_AlreadyExists409()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("taken", 1));
        var (code, status) = await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("taken", 2));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("widgets.example.io \"taken\" already exists", (string?)status["message"]);
    }

    [Fact]
    public async Task Get_Missing_NotFoundStatus()
    {
        var (code, status) = await Api.GetJsonAsync(KubeHttp.Widgets + "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("widgets", (string?)status["details"]!["kind"]);
        Assert.Equal("example.io", (string?)status["details"]!["group"]);
    }

    [Fact]
    public async Task Delete_PreconditionResourceVersion_ConflictWhenStale()
    {
        var (_, created) = await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("precond", 1));
        await Api.PutJsonAsync(KubeHttp.Widgets + "/precond", KubeHttp.Widget("precond", 2));

        var (stale, status) = await Api.SendAsync(HttpMethod.Delete, KubeHttp.Widgets + "/precond",
            "{\"preconditions\":{\"resourceVersion\":\"" + (created.Rv()) + "\"}}");
        Assert.Equal(HttpStatusCode.Conflict, stale);
        Assert.Contains("Precondition failed", (string?)status["message"], StringComparison.Ordinal);

        var (_, current) = await Api.GetJsonAsync(KubeHttp.Widgets + "/precond");
        var (ok, _) = await Api.SendAsync(HttpMethod.Delete, KubeHttp.Widgets + "/precond",
            "{\"preconditions\":{\"resourceVersion\":\"" + (current.Rv()) + "\",\"uid\":\"" + ((string?)current["metadata"]!["uid"]) + "\"}}");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetJsonAsync(KubeHttp.Widgets + "/precond")).Code);
    }

    [Fact]
    public async Task Delete_WithFinalizer_StaysUntilFinalizerRemoved()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets,
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"fin","finalizers":["example.io/guard"]},"spec":{"size":1}}""");
        var (code, deleting) = await Api.SendAsync(HttpMethod.Delete, KubeHttp.Widgets + "/fin");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        var (stillThere, _) = await Api.GetJsonAsync(KubeHttp.Widgets + "/fin");
        Assert.Equal(HttpStatusCode.OK, stillThere);

        var (release, _) = await Api.SendAsync(HttpMethod.Patch, KubeHttp.Widgets + "/fin",
            """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, release);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetJsonAsync(KubeHttp.Widgets + "/fin")).Code);
    }

    [Fact]
    public async Task StatusSubresource_SplitsSpecAndStatus_GenerationOnlyOnSpec()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets,
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"st"},"spec":{"size":1},"status":{"ready":true}}""");
        var (_, created) = await Api.GetJsonAsync(KubeHttp.Widgets + "/st");
        Assert.Null(created["status"]);

        var (_, statusWrite) = await Api.PutJsonAsync(KubeHttp.Widgets + "/st/status",
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"st"},"spec":{"size":9},"status":{"ready":true}}""");
        Assert.Equal(1, (int?)statusWrite["spec"]!["size"]);
        Assert.True((bool?)statusWrite["status"]!["ready"]);
        Assert.Equal(1, (int?)statusWrite["metadata"]!["generation"]);

        var (_, mainWrite) = await Api.PutJsonAsync(KubeHttp.Widgets + "/st",
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"st"},"spec":{"size":2},"status":{"ready":false}}""");
        Assert.Equal(2, (int?)mainWrite["spec"]!["size"]);
        Assert.True((bool?)mainWrite["status"]!["ready"]);
        Assert.Equal(2, (int?)mainWrite["metadata"]!["generation"]);
    }

    [Fact]
    public async Task NodeStatusPatch_KeepsAnnotationsAndIgnoresSpec()
    {
        await Api.PostJsonAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a"},"spec":{"podCIDR":"10.0.0.0/24"}}""");
        var (code, patched) = await Api.SendAsync(HttpMethod.Patch, "/api/v1/nodes/node-a/status",
            """{"metadata":{"annotations":{"routednet.io/ipv4":"192.0.2.1/24"}},"spec":{"podCIDR":"10.9.0.0/24"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("192.0.2.1/24", (string?)patched["metadata"]!["annotations"]!["routednet.io/ipv4"]);
        Assert.Equal("10.0.0.0/24", (string?)patched["spec"]!["podCIDR"]);
        Assert.Equal("Ready", (string?)patched["status"]!["conditions"]![0]!["type"]);
    }

    [Fact]
    public async Task Create_InMissingNamespace_NotFound()
    {
        var (code, status) = await Api.PostJsonAsync("/api/v1/namespaces/nope/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"nope\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Request_WithoutToken_Unauthorized()
    {
        using var anonymous = _server.ClientFor(null);
        var (code, status) = await anonymous.GetJsonAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
    }

    [Fact]
    public async Task Discovery_ListsTheRegisteredCrdGroup()
    {
        var (_, groups) = await Api.GetJsonAsync("/apis");
        Assert.Contains(groups["groups"]!.AsArray(), g => (string?)g!["name"] == "example.io");
        var (_, resources) = await Api.GetJsonAsync("/apis/example.io/v1");
        var names = resources["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Contains("widgets", names);
        Assert.Contains("widgets/status", names);
        var (_, version) = await Api.GetJsonAsync("/version");
        Assert.Equal("1", (string?)version["major"]);
    }
}
