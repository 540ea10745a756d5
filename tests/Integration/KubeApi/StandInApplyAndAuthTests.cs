using System.Net;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// Server-side apply as helm 4 and kubectl send it (create-if-missing, field managers,
/// conflicts, force), JSON patch, and service-account tokens under RBAC (403 with
/// kube-apiserver's message for what the role does not grant).
/// </summary>
public sealed class StandInApplyAndAuthTests : IClassFixture<StandInFixture>
{
    private readonly KubeApiServerProcess _server;

    public StandInApplyAndAuthTests(StandInFixture fixture) => _server = fixture.Server;

    private HttpClient Api => _server.Client;

    private Task<(HttpStatusCode Code, JsonObject Body)> ApplyAsync(string name, string yaml, string manager, bool force = false) =>
        Api.SendAsync(HttpMethod.Patch, $"{KubeHttp.Widgets}/{name}?fieldManager={manager}&fieldValidation=Strict&force={(force ? "true" : "false")}",
            yaml, "application/apply-patch+yaml");

    private static string Applied(string name, int size, string extra = "") => $"""
        apiVersion: example.io/v1
        kind: Widget
        metadata:
          name: {name}
        spec:
          size: {size}
        {extra}
        """;

    [Fact]
    public async Task Apply_CreatesThenConflictsWithOtherManager_ForceTakesOver()
    {
        var (created, first) = await ApplyAsync("ssa", Applied("ssa", 1), "helm");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("helm", (string?)first["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Equal("Apply", (string?)first["metadata"]!["managedFields"]![0]!["operation"]);

        var (sameValue, _) = await ApplyAsync("ssa", Applied("ssa", 1), "kubectl");
        Assert.Equal(HttpStatusCode.OK, sameValue);

        var (conflict, status) = await ApplyAsync("ssa", Applied("ssa", 2), "kubectl");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"helm\" using example.io/v1: .spec.size", (string?)status["message"]);
        Assert.Equal(".spec.size", (string?)status["details"]!["causes"]![0]!["field"]);

        var (forced, taken) = await ApplyAsync("ssa", Applied("ssa", 2), "kubectl", force: true);
        Assert.Equal(HttpStatusCode.OK, forced);
        Assert.Equal(2, (int?)taken["spec"]!["size"]);
        var (again, _) = await ApplyAsync("ssa", Applied("ssa", 3), "helm");
        Assert.Equal(HttpStatusCode.Conflict, again);
    }

    [Fact]
    public async Task Apply_FieldDroppedFromConfiguration_IsRemoved()
    {
        await ApplyAsync("drop", Applied("drop", 1, "  color: red"), "helm");
        var (code, updated) = await ApplyAsync("drop", Applied("drop", 1), "helm");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Null(updated["spec"]!["color"]);
    }

    [Fact]
    public async Task Apply_UpdateManagerOwnsChangedField_ApplyConflicts()
    {
        await ApplyAsync("mixed", Applied("mixed", 1), "helm");
        var (patched, _) = await Api.SendAsync(HttpMethod.Patch, KubeHttp.Widgets + "/mixed?fieldManager=editor",
            """[{"op":"replace","path":"/spec/size","value":7}]""", "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched);
        var (conflict, status) = await ApplyAsync("mixed", Applied("mixed", 1), "helm");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Contains("conflict with \"editor\"", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccountToken_RbacGrantsOnlyTheRoleRules_403Otherwise()
    {
        var token = await _server.ServiceAccountTokenAsync("default", "reader");
        await _server.PostYamlAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: widget-reader}
            rules:
            - apiGroups: [example.io]
              resources: [widgets]
              verbs: [get, list, watch]
            - apiGroups: [""]
              resources: [nodes/status]
              verbs: [patch]
            """);
        await _server.PostYamlAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: widget-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: widget-reader}
            subjects:
            - {kind: ServiceAccount, name: reader, namespace: default}
            """);
        await Api.PostJsonAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"rbac-node"}}""");
        using var reader = _server.ClientFor(token);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetJsonAsync(KubeHttp.Widgets)).Code);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetJsonAsync("/apis")).Code);
        var (patchStatus, _) = await reader.SendAsync(HttpMethod.Patch, "/api/v1/nodes/rbac-node/status",
            """{"metadata":{"annotations":{"a":"b"}}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patchStatus);

        var (create, denied) = await reader.PostJsonAsync(KubeHttp.Widgets, KubeHttp.Widget("denied", 1));
        Assert.Equal(HttpStatusCode.Forbidden, create);
        Assert.Equal("Forbidden", (string?)denied["reason"]);
        Assert.Equal("widgets.example.io is forbidden: User \"system:serviceaccount:default:reader\" cannot create resource \"widgets\" in API group \"example.io\" at the cluster scope",
            (string?)denied["message"]);
        var (patchMain, mainDenied) = await reader.SendAsync(HttpMethod.Patch, "/api/v1/nodes/rbac-node",
            """{"metadata":{"annotations":{"a":"b"}}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.Forbidden, patchMain);
        Assert.Contains("cannot patch resource \"nodes\" in API group \"\" at the cluster scope", (string?)mainDenied["message"], StringComparison.Ordinal);
        var (pods, podsDenied) = await reader.GetJsonAsync("/api/v1/namespaces/default/pods");
        Assert.Equal(HttpStatusCode.Forbidden, pods);
        Assert.Contains("in the namespace \"default\"", (string?)podsDenied["message"], StringComparison.Ordinal);

        using var stranger = _server.ClientFor("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetJsonAsync(KubeHttp.Widgets)).Code);
    }
}
