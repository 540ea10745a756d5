using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Store;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.Kubernetes;

using KubeApi = RoutedNet.Kubernetes.Api.KubeApi;

/// <summary>
/// One stand-in API server (out/test/routednet-test-apiserver) with RoutedNet's CRDs installed and
/// core Nodes registered the way kubelets would (label kubernetes.io/hostname), for every name the
/// tests use as a Node. <see cref="WipeAsync"/> empties RoutedNet's part between tests.
/// </summary>
public sealed class KubeStoreFixture : IAsyncLifetime
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>Core Nodes present from the start: the store contract's Node names, and n0..n9, new0..new99.</summary>
    public static readonly IReadOnlyList<string> CoreNodes =
    [
        "before", "old", "new", "stale", "taken", "update-me", "delete-me", "same", "a", "b", "c.example", "claimed", "t1", "t2", "t3",
        .. Enumerable.Range(0, 10).Select(i => $"n{i}"),
        .. Enumerable.Range(0, 100).Select(i => $"new{i}"),
    ];

    /// <summary>Namespaces present from the start, for namespaced kinds.</summary>
    public static readonly IReadOnlyList<string> PolicyNamespaces = ["x", "y"];

    public KubeApiServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await KubeApiServerProcess.StartAsync();
        await Server.CreateCrdsAsync();
        // The namespaces the store contract's namespaced objects live in (StoreContractTests.Policy).
        foreach (var ns in PolicyNamespaces)
        {
            await Server.PostYamlAsync("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        }
        foreach (var name in CoreNodes)
        {
            await Server.PostYamlAsync("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"" + HostnameLabel + "\":\"" + name + "\"}}}");
        }
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A new client of the stand-in, as routednetctl and routednet-node open it.</summary>
    public Task<IStore> OpenAsync() =>
        KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse("kubernetes"), EtcdSecurity.None, Server.KubeconfigPath, CancellationToken.None);

    public RoutedNet.Kubernetes.Api.KubeApi Api() => RoutedNet.Kubernetes.Api.KubeApi.Open(Server.KubeconfigPath);

    /// <summary>Deletes every RoutedNet custom resource and RoutedNet's Node annotations (the core Nodes stay).</summary>
    public async Task WipeAsync()
    {
        await Server.ClearFaultsAsync();
        using (var api = Api())
        {
            foreach (var resource in CrdKinds.ByKind.Values)
            {
                foreach (var item in (await api.ListAsync(resource, null, CancellationToken.None)).Items)
                {
                    var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
                    await api.DeleteAsync(resource, name, null, name, CancellationToken.None);
                }
            }
            // Policies, Services and their EndpointSlices, in their namespaces (the users' kinds, which the loop above leaves alone).
            foreach (var resource in CrdKinds.Policies.Values.Append(CrdKinds.NativeKinds[KubernetesNetworkPolicy.KindName]).Append(KubeResource.Services).Append(KubeResource.EndpointSlices))
            {
                foreach (var item in (await api.ListAsync(resource, null, CancellationToken.None)).Items)
                {
                    var metadata = item.GetProperty("metadata");
                    var name = metadata.GetProperty("name").GetString()!;
                    var ns = metadata.TryGetProperty("namespace", out var n) ? n.GetString() : null;
                    await api.DeleteAsync(resource, name, null, name, CancellationToken.None, ns);
                }
            }
        }
        await using var store = await OpenAsync();
        foreach (var node in (await store.ListAsync<Node>()).Items)
        {
            await store.DeleteAsync<Node>(node.Name);
        }
    }
}
