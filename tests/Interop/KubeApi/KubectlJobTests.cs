using System.Text.Json.Nodes;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// batch/v1 Jobs on the stand-in as the real kubectl sees them (the chart's post-delete hook is
/// one): a Job created with `kubectl create -f` is stored defaulted as kube-apiserver defaults it (selector and
/// pod labels from its uid, one completion, backoffLimit 6, an empty status), its status is a
/// subresource a spec write cannot touch, and a pod template that would restart forever is 422.
/// </summary>
public sealed class KubectlJobTests(StandIn cluster) : IClassFixture<StandIn>
{
    [Fact]
    public async Task CreateJob_FromManifest_DefaultedSelectorLabelsAndCounts()
    {
        await NamespaceAsync("jobs");

        var created = (await cluster.Kubectl.WithManifestAsync(Job("once", "jobs"), "create")).EnsureSuccess().Stdout;
        var job = JsonNode.Parse(await cluster.Kubectl.CheckAsync("-n", "jobs", "get", "job", "once", "-o", "json"))!;

        Assert.Contains("job.batch/once created", created, StringComparison.Ordinal);
        var uid = (string)job["metadata"]!["uid"]!;
        Assert.Equal($$$"""{"matchLabels":{"batch.kubernetes.io/controller-uid":"{{{uid}}}"}}""", job["spec"]!["selector"]!.ToJsonString());
        var labels = job["spec"]!["template"]!["metadata"]!["labels"]!;
        Assert.Equal(uid, (string?)labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("once", (string?)labels["batch.kubernetes.io/job-name"]);
        Assert.Equal("once", (string?)labels["job-name"]);
        Assert.Equal(1, (int)job["spec"]!["completions"]!);
        Assert.Equal(1, (int)job["spec"]!["parallelism"]!);
        Assert.Equal(6, (int)job["spec"]!["backoffLimit"]!);
        Assert.Equal("NonIndexed", (string?)job["spec"]!["completionMode"]);
        Assert.Equal("{}", job["status"]!.ToJsonString());
    }

    [Fact]
    public async Task ApplyJob_RestartPolicyAlways_RefusedAs422()
    {
        await NamespaceAsync("jobs-bad");

        var result = await cluster.Kubectl.WithManifestAsync("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: forever, namespace: jobs-bad}
            spec:
              template:
                spec:
                  restartPolicy: Always
                  containers: [{name: c, image: routednet/routednet:0.13.0}]
            """, "apply", "--server-side");

        Assert.False(result.Succeeded);
        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchJob_StatusThroughTheMainResource_Ignored()
    {
        await NamespaceAsync("jobs-status");
        (await cluster.Kubectl.WithManifestAsync(Job("s", "jobs-status"), "create")).EnsureSuccess();

        await cluster.Kubectl.CheckAsync("-n", "jobs-status", "patch", "job", "s", "--type", "merge", "-p", """{"status":{"succeeded":1}}""");
        var status = await cluster.Kubectl.CheckAsync("-n", "jobs-status", "get", "job", "s", "-o", "jsonpath={.status}");
        await cluster.Kubectl.CheckAsync("-n", "jobs-status", "patch", "job", "s", "--subresource", "status", "--type", "merge", "-p", """{"status":{"succeeded":1}}""");
        var viaStatus = await cluster.Kubectl.CheckAsync("-n", "jobs-status", "get", "job", "s", "-o", "jsonpath={.status.succeeded}");

        Assert.Equal("{}", status);
        Assert.Equal("1", viaStatus);
    }

    // What `kubectl create job NAME --image IMAGE` sends (sent as a manifest: kubectl's typed
    // create speaks protobuf, which the stand-in decodes for Secrets and ConfigMaps only).
    private static string Job(string name, string ns) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: {{name}}, image: "routednet/routednet:0.13.0"}]
        """;

    private async Task NamespaceAsync(string name) =>
        (await cluster.Kubectl.WithManifestAsync($"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}", "create")).EnsureSuccess();
}
