using System.Net;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// The stand-in's list and watch (lab notes §4): selectors, limit/continue pages that show one
/// resourceVersion, watch from an RV, bookmarks, 410 as an HTTP status and as an in-stream ERROR.
/// Each test runs its own server: compaction and dropped watches touch every resource.
/// </summary>
public sealed class StandInListWatchTests : IAsyncLifetime
{
    private KubeApiServerProcess _server = null!;

    private HttpClient Api => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServerProcess.StartAsync(historyWindow: 5, bookmarkInterval: TimeSpan.FromHours(1));
        await _server.PostYamlAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", KubeHttp.WidgetCrd);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<string>> NamesAsync(string query)
    {
        var (code, list) = await Api.GetJsonAsync(KubeHttp.Widgets + "?" + query);
        Assert.True(code == HttpStatusCode.OK, list.ToJsonString());
        return [.. list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!)];
    }

    [Fact]
    public async Task List_LabelSelectors_AllOperators()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("a", 1, """{"tier":"web","env":"prod"}"""));
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("b", 1, """{"tier":"db"}"""));
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("c", 1));

        Assert.Equal(["a"], await NamesAsync("labelSelector=tier%3Dweb"));
        Assert.Equal(["a"], await NamesAsync("labelSelector=tier%3D%3Dweb"));
        Assert.Equal(["b", "c"], await NamesAsync("labelSelector=tier!%3Dweb"));
        Assert.Equal(["a", "b"], await NamesAsync("labelSelector=tier%20in%20(web,db)"));
        Assert.Equal(["c"], await NamesAsync("labelSelector=tier%20notin%20(web,db)"));
        Assert.Equal(["a", "b"], await NamesAsync("labelSelector=tier"));
        Assert.Equal(["c"], await NamesAsync("labelSelector=!tier"));
        Assert.Equal(["a"], await NamesAsync("labelSelector=tier,env%3Dprod"));
        Assert.Equal(["b"], await NamesAsync("fieldSelector=metadata.name%3Db"));

        var (bad, status) = await Api.GetJsonAsync(KubeHttp.Widgets + "?fieldSelector=spec.size%3D1");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("not a known field selector", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPods_FieldSelectorNodeName()
    {
        foreach (var (name, node) in new[] { ("p1", "n1"), ("p2", "n2"), ("p3", "n1") })
        {
            var (code, _) = await Api.PostJsonAsync("/api/v1/namespaces/default/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + (name) + "\"},\"spec\":{\"nodeName\":\"" + (node) + "\",\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}");
            Assert.Equal(HttpStatusCode.Created, code);
        }
        var (_, list) = await Api.GetJsonAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1");
        Assert.Equal(["p1", "p3"], list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
    }

    [Fact]
    public async Task List_LimitContinue_PagesShowTheFirstPagesResourceVersion()
    {
        for (var i = 0; i < 5; i++)
        {
            await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget($"w{i}", 1));
        }
        var (_, first) = await Api.GetJsonAsync(KubeHttp.Widgets + "?limit=2");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var token = (string)first["metadata"]!["continue"]!;

        // Changes after the first page are not seen by the later pages (one consistent list).
        await Api.SendAsync(HttpMethod.Delete, KubeHttp.Widgets + "/w3");
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("w9", 1));

        var names = first["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();
        while (token is not null)
        {
            var (_, page) = await Api.GetJsonAsync(KubeHttp.Widgets + "?limit=2&continue=" + Uri.EscapeDataString(token));
            Assert.Equal(first.Rv(), page.Rv());
            names.AddRange(page["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
            token = (string?)page["metadata"]!["continue"]!;
        }
        Assert.Equal(["w0", "w1", "w2", "w3", "w4"], names);
    }

    [Fact]
    public async Task List_ContinueAfterCompaction_Expired410()
    {
        for (var i = 0; i < 3; i++)
        {
            await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget($"w{i}", 1));
        }
        var (_, first) = await Api.GetJsonAsync(KubeHttp.Widgets + "?limit=1");
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("later", 1));
        await _server.CompactAsync();

        var (code, status) = await Api.GetJsonAsync(KubeHttp.Widgets + "?limit=1&continue=" + Uri.EscapeDataString((string)first["metadata"]!["continue"]!));
        Assert.Equal(HttpStatusCode.Gone, code);
        Assert.Equal("Expired", (string?)status["reason"]);
    }

    [Fact]
    public async Task Watch_FromListResourceVersion_SeesEachChangeOnceInOrder()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("before", 1));
        var (_, list) = await Api.GetJsonAsync(KubeHttp.Widgets);
        using var watch = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + list.Rv());
        Assert.Equal(HttpStatusCode.OK, watch.Code);

        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("x", 1));
        var (_, updated) = await Api.PutJsonAsync(KubeHttp.Widgets + "/x", KubeHttp.Widget("x", 2));
        await Api.SendAsync(HttpMethod.Delete, KubeHttp.Widgets + "/x");
        await _server.SendBookmarksAsync();

        var added = await watch.NextAsync();
        Assert.Equal("ADDED", (string?)added!["type"]);
        Assert.Equal("x", (string?)added["object"]!["metadata"]!["name"]);
        var modified = await watch.NextAsync();
        Assert.Equal("MODIFIED", (string?)modified!["type"]);
        Assert.Equal(updated.Rv(), ((JsonObject)modified["object"]!).Rv());
        var deleted = await watch.NextAsync();
        Assert.Equal("DELETED", (string?)deleted!["type"]);
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal(((JsonObject)deleted["object"]!).Rv(), ((JsonObject)bookmark["object"]!).Rv());
    }

    [Fact]
    public async Task Watch_LabelSelector_LabelChangeIsAddedThenDeleted()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("moving", 1, """{"team":"a"}"""));
        var (_, list) = await Api.GetJsonAsync(KubeHttp.Widgets + "?labelSelector=team%3Db");
        using var watch = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&labelSelector=team%3Db&resourceVersion=" + list.Rv());

        await Api.PutJsonAsync(KubeHttp.Widgets + "/moving", KubeHttp.Widget("moving", 1, """{"team":"b"}"""));
        await Api.PutJsonAsync(KubeHttp.Widgets + "/moving", KubeHttp.Widget("moving", 1, """{"team":"c"}"""));

        Assert.Equal("ADDED", (string?)(await watch.NextChangeAsync())!["type"]);
        Assert.Equal("DELETED", (string?)(await watch.NextChangeAsync())!["type"]);
    }

    [Fact]
    public async Task Watch_ResourceVersionOutsideHistoryWindow_Http410()
    {
        var (_, first) = await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("old", 1));
        for (var i = 0; i < 8; i++)
        {
            await Api.PutJsonAsync(KubeHttp.Widgets + "/old", KubeHttp.Widget("old", i + 2));
        }
        using var watch = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&resourceVersion=" + first.Rv());
        Assert.Equal(HttpStatusCode.Gone, watch.Code);
        var status = JsonNode.Parse(await watch.BodyAsync())!;
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.Equal(410, (int?)status["code"]);
    }

    [Fact]
    public async Task Watch_CompactedWhileOpen_InStreamError410()
    {
        var (_, list) = await Api.GetJsonAsync(KubeHttp.Widgets);
        using var watch = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&resourceVersion=" + list.Rv());
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("seen", 1));
        Assert.Equal("ADDED", (string?)(await watch.NextAsync())!["type"]);

        await _server.CompactAsync();

        var error = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)error!["type"]);
        Assert.Equal(410, (int?)error["object"]!["code"]);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_Dropped_EndsStreamCleanly_AndResumesFromLastRv()
    {
        var (_, list) = await Api.GetJsonAsync(KubeHttp.Widgets);
        using (var watch = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&resourceVersion=" + list.Rv()))
        {
            await _server.DropWatchesAsync("widgets.example.io");
            Assert.Null(await watch.NextAsync());
        }
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("after-drop", 1));
        using var resumed = await WatchStream.OpenAsync(Api, KubeHttp.Widgets + "?watch=1&resourceVersion=" + list.Rv());
        var ev = await resumed.NextAsync();
        Assert.Equal("after-drop", (string?)ev!["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task RequestCounter_CountsByVerbAndResource()
    {
        await _server.ResetRequestCountsAsync();
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("counted", 1));
        await Api.GetJsonAsync(KubeHttp.Widgets + "/counted");
        await Api.GetJsonAsync(KubeHttp.Widgets);
        await Api.SendAsync(HttpMethod.Patch, "/apis/example.io/v1/widgets/counted/status", """{"status":{"ready":true}}""", "application/merge-patch+json");

        var counts = await _server.RequestCountsAsync();
        Assert.Equal(1, counts["create widgets.example.io"]);
        Assert.Equal(1, counts["get widgets.example.io"]);
        Assert.Equal(1, counts["list widgets.example.io"]);
        Assert.Equal(1, counts["patch widgets.example.io/status"]);
        Assert.Equal(4, counts.Values.Sum());
    }

    [Fact]
    public async Task Faults_ConflictOnSecondUpdate_ThenNormal()
    {
        await Api.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("faulty", 1));
        await _server.AddFaultAsync("""{"verb":"update","resource":"widgets.example.io","nth":2,"code":409}""");

        Assert.Equal(HttpStatusCode.OK, (await Api.PutJsonAsync(KubeHttp.Widgets + "/faulty", KubeHttp.Widget("faulty", 2))).Code);
        var (code, status) = await Api.PutJsonAsync(KubeHttp.Widgets + "/faulty", KubeHttp.Widget("faulty", 3));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutJsonAsync(KubeHttp.Widgets + "/faulty", KubeHttp.Widget("faulty", 4))).Code);
    }
}
