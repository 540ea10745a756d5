using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix.Kubernetes;
using RoutedNet.Integration.Kubernetes;
using RoutedNet.Kubernetes.Store;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// The published routednetctl with `--datastore kubernetes` against the stand-in API server:
/// the kubeconfig from --kubeconfig or from KUBECONFIG, a multi-document apply (one object at a
/// time on a store without transactions) and get reading the custom resources back.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesDatastoreCtlTests(KubeStoreFixture kube) : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-kubestore-ctl-").FullName;

    public Task InitializeAsync() => kube.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ApplyThenGet_WithKubeconfigFlag_PoolsAreCustomResources()
    {
        var file = Path.Combine(_dir, "pools.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: routednet.io/v1
            kind: IPPool
            metadata: {name: pool-a}
            spec: {cidr: 10.244.0.0/16, blockSize: 26}
            ---
            apiVersion: routednet.io/v1
            kind: IPPool
            metadata: {name: pool-b}
            spec: {cidr: 10.245.0.0/16}
            """);

        var apply = await CtlAsync(null, "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath, "apply", "-f", file);
        var get = await CtlAsync(null, "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath, "get", "ippools");

        Assert.True(apply.Succeeded, apply.Stderr);
        Assert.Contains("IPPool \"pool-a\" applied", apply.Stdout, StringComparison.Ordinal);
        Assert.True(get.Succeeded, get.Stderr);
        Assert.Contains("pool-a", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("10.245.0.0/16", get.Stdout, StringComparison.Ordinal);
        await using var store = await kube.OpenAsync();
        Assert.Equal(26, (await store.GetAsync<IPPool>("pool-a")).Spec.BlockSize);
    }

    [Fact]
    public async Task Get_KubeconfigFromEnvironment_ReadsTheSameApiServer()
    {
        await using (var store = await kube.OpenAsync())
        {
            await store.CreateAsync(KubernetesStoreTests.Pool("from-env", "10.9.0.0/16"));
        }

        var get = await CtlAsync(kube.Server.KubeconfigPath, "--datastore", "kubernetes", "get", "ippool", "from-env", "-o", "json");

        Assert.True(get.Succeeded, get.Stderr);
        Assert.Contains("\"10.9.0.0/16\"", get.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_SecondDocumentRefused_SaysTheFirstWasWritten()
    {
        var file = Path.Combine(_dir, "overlap.yaml");
        await using (var store = await kube.OpenAsync())
        {
            await store.CreateAsync(KubernetesStoreTests.Pool("wide", "10.244.0.0/16"));
        }
        await File.WriteAllTextAsync(file, """
            apiVersion: routednet.io/v1
            kind: IPPool
            metadata: {name: fine}
            spec: {cidr: 10.250.0.0/16}
            ---
            apiVersion: routednet.io/v1
            kind: IPPool
            metadata: {name: inner}
            spec: {cidr: 10.244.8.0/21}
            """);

        var apply = await CtlAsync(null, "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath, "apply", "-f", file);

        Assert.Equal(2, apply.ExitCode);
        var line = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("overlaps IPPool \"wide\"", line, StringComparison.Ordinal);
        Assert.Contains("the first 1 of 2 objects were written", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_PolicyKinds_KubernetesOneIsTheApisOwnObjectCalicoOnesAreCustomResources()
    {
        var file = Path.Combine(_dir, "policies.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-web, namespace: x}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                ports: [{protocol: TCP, port: 80}, {port: http}]
            ---
            apiVersion: routednet.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-db, namespace: y}
            spec:
              selector: app == 'db'
              ingress: [{action: Deny}]
            ---
            apiVersion: routednet.io/v1
            kind: GlobalNetworkPolicy
            metadata: {name: admin-pass}
            spec:
              tier: admin
              order: 1
              ingress: [{action: Pass, protocol: TCP, destination: {ports: [80, "8000:8080"]}}]
            """);
        var flags = new[] { "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath };

        var apply = await CtlAsync(null, [.. flags, "apply", "-f", file]);

        Assert.True(apply.Succeeded, apply.Stderr);
        Assert.Contains("KubernetesNetworkPolicy \"x/allow-web\" applied", apply.Stdout, StringComparison.Ordinal);
        using (var api = kube.Api())
        {
            var native = (await api.GetAsync(CrdKinds.NativeKinds[KubernetesNetworkPolicy.KindName], "allow-web", CancellationToken.None, "x"))!.Value;
            Assert.Equal("networking.k8s.io/v1", native.GetProperty("apiVersion").GetString());
            Assert.Equal("NetworkPolicy", native.GetProperty("kind").GetString());
            Assert.Equal("web", native.GetProperty("spec").GetProperty("podSelector").GetProperty("matchLabels").GetProperty("app").GetString());
            Assert.Equal("http", native.GetProperty("spec").GetProperty("ingress")[0].GetProperty("ports")[1].GetProperty("port").GetString());
            var custom = (await api.GetAsync(CrdKinds.Policies[NetworkPolicy.KindName], "deny-db", CancellationToken.None, "y"))!.Value;
            Assert.Equal("app == 'db'", custom.GetProperty("spec").GetProperty("selector").GetString());
            Assert.NotNull(await api.GetAsync(CrdKinds.Policies[GlobalNetworkPolicy.KindName], "admin-pass", CancellationToken.None));
        }
        var get = await CtlAsync(null, [.. flags, "get", "networkpolicies.networking.k8s.io", "-n", "x", "-o", "yaml"]);
        Assert.True(get.Succeeded, get.Stderr);
        Assert.StartsWith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n", get.Stdout, StringComparison.Ordinal);
        var delete = await CtlAsync(null, [.. flags, "delete", "-f", file]);
        Assert.True(delete.Succeeded, delete.Stderr);
        await using var store = await kube.OpenAsync();
        Assert.Empty((await store.ListAsync<KubernetesNetworkPolicy>()).Items);
        Assert.Empty((await store.ListAsync<NetworkPolicy>()).Items);
        Assert.Empty((await store.ListAsync<GlobalNetworkPolicy>()).Items);
    }

    /// <summary>
    /// On Kubernetes, explain reads the pods as the agents do: the API's Pods by their status IPs
    /// (a host-network pod is its node, not a pod of the policy), the Namespaces' labels, and the
    /// policies of every kind.
    /// </summary>
    [Fact]
    public async Task PolicyExplain_KubernetesDatastore_PodsAndNamespacesFromTheApi()
    {
        using var admin = KubeAdmin.FromKubeconfig(kube.Server.KubeconfigPath);
        await admin.CreateAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ex-front","labels":{"zone":"dmz"}}}""");
        await admin.CreateAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ex-back"}}""");
        async Task PodAsync(string ns, string name, string app, string ip, bool hostNetwork = false)
        {
            await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", $$$"""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"app":"{{{app}}}"}},
                 "spec":{"nodeName":"n1","hostNetwork":{{{(hostNetwork ? "true" : "false")}}},"containers":[{"name":"c","image":"i","ports":[{"name":"http","containerPort":8080}]}]}}
                """);
            await admin.MergePatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status", $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}]}}""");
        }
        await PodAsync("ex-back", "api-0", "api", "10.244.9.10");
        await PodAsync("ex-front", "web-0", "web", "10.244.9.20");
        await PodAsync("ex-front", "agent-0", "web", "172.18.0.2", hostNetwork: true);
        var file = Path.Combine(_dir, "allow-dmz.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-from-dmz, namespace: ex-back}
            spec:
              podSelector: {matchLabels: {app: api}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {zone: dmz}}}]
                ports: [{port: http}]
            """);
        var flags = new[] { "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath };
        Assert.True((await CtlAsync(null, [.. flags, "apply", "-f", file])).Succeeded);

        async Task<(bool Allowed, string Json)> ExplainAsync(string from, string port)
        {
            var explain = await CtlAsync(null, [.. flags, "policy", "explain", "--from", from, "--to", "ex-back/api-0", "--port", port, "-o", "json"]);
            Assert.True(explain.Succeeded, explain.Stderr);
            using var json = System.Text.Json.JsonDocument.Parse(explain.Stdout);
            return (json.RootElement.GetProperty("allowed").GetBoolean(), explain.Stdout);
        }

        var named = await ExplainAsync("ex-front/web-0", "8080/tcp");
        Assert.True(named.Allowed, named.Json);
        Assert.Contains("knp.default.api-from-dmz", named.Json, StringComparison.Ordinal);
        Assert.False((await ExplainAsync("ex-front/web-0", "80/tcp")).Allowed);
        // The host-network pod's address is its node's: not a pod of ex-front, so not from the dmz.
        Assert.False((await ExplainAsync("172.18.0.2", "8080/tcp")).Allowed);
        var unknown = await CtlAsync(null, [.. flags, "policy", "explain", "--from", "ex-front/agent-0", "--to", "ex-back/api-0", "--port", "8080/tcp"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no such pod", Assert.Single(unknown.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ProcessResult> CtlAsync(string? kubeconfigVariable, params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), args, env: new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfigVariable,
            ["ROUTEDNET_DATASTORE"] = null,
        });
}
