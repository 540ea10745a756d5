using System.Text.Json;
using RoutedNet.Integration.Kubernetes;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// `routednetctl label pod NS/NAME` and `label namespace NAME` with `--datastore kubernetes`
/// against the stand-in API server: they change the core Pod's and Namespace's labels (what the
/// agents watch and policy selects on), kubectl's rules for --overwrite and removal included.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesLabelCtlTests(KubeStoreFixture kube)
{
    private readonly string _ns = "lbl-" + Guid.NewGuid().ToString("N")[..8];

    private async Task CreateAsync()
    {
        await kube.Server.PostYamlAsync("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + _ns + "\",\"labels\":{\"team\":\"red\"}}}");
        await kube.Server.PostYamlAsync($"/api/v1/namespaces/{_ns}/pods", """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","labels":{"app":"web","tier":"front"}},
             "spec":{"containers":[{"name":"c","image":"busybox"}]}}
            """);
    }

    private async Task<Dictionary<string, string>> LabelsAsync(KubeResource resource, string name, string? ns)
    {
        using var api = kube.Api();
        var json = (await api.GetAsync(resource, name, CancellationToken.None, ns))!.Value;
        return json.GetProperty("metadata").TryGetProperty("labels", out var labels)
            ? labels.EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!)
            : [];
    }

    [Fact]
    public async Task LabelPod_SetAndRemove_ThePodsLabelsChange()
    {
        await CreateAsync();

        var label = await CtlAsync("label", "pod", $"{_ns}/web-0", "role=db", "tier-");

        Assert.True(label.Succeeded, label.Stderr);
        Assert.Equal($"pod {_ns}/web-0 labeled\n", label.Stdout);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["role"] = "db" }, await LabelsAsync(KubeResource.Pods, "web-0", _ns));
    }

    [Fact]
    public async Task LabelPod_ChangedValueWithoutOverwrite_Exit1PodUnchanged()
    {
        await CreateAsync();

        var refused = await CtlAsync("label", "pod", $"{_ns}/web-0", "app=db");
        var missing = await CtlAsync("label", "pod", $"{_ns}/nope", "app=db");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already has label app=web; pass --overwrite", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("web", (await LabelsAsync(KubeResource.Pods, "web-0", _ns))["app"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"pod {_ns}/nope not found", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelNamespace_Overwrite_TheCoreNamespaceChanges()
    {
        await CreateAsync();

        var label = await CtlAsync("label", "namespace", _ns, "team=blue", "env=prod", "--overwrite");

        Assert.True(label.Succeeded, label.Stderr);
        var labels = await LabelsAsync(KubeResource.Namespaces, _ns, null);
        Assert.Equal(("blue", "prod"), (labels["team"], labels["env"]));
    }

    private Task<ProcessResult> CtlAsync(params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath, .. args], env: new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = null,
            ["ROUTEDNET_DATASTORE"] = null,
        });
}
