using System.Text;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Integration.Kubernetes;

/// <summary>
/// Watching RoutedNet's Nodes, which live on core Nodes that the kubelet also writes: what the
/// kubelet changes alone is no event, and a deletion is reported even to a watch that started
/// after the Node was created (it never saw it appear).
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesNodeWatchTests(KubeStoreFixture kube) : IAsyncLifetime
{
    // An upper bound for a failing watch, not a speed requirement.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IStore _store = null!;

    public async Task InitializeAsync()
    {
        await kube.WipeAsync();
        _store = await kube.OpenAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Watch_KubeletWritesTheCoreNode_NoEventUntilRoutedNetsPartChanges()
    {
        var created = await _store.CreateAsync(NewNode("n1"));
        var start = (await _store.ListAsync<Node>()).ResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = _store.WatchAsync<Node>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();

        // What a kubelet heartbeat does: its own annotation, through nodes/status.
        using (var api = kube.Api())
        {
            await api.MergePatchAsync(KubeResource.Nodes, "n1", Encoding.UTF8.GetBytes("""{"metadata":{"annotations":{"node.alpha.kubernetes.io/ttl":"0"}}}"""), "status", "Node \"n1\"", CancellationToken.None);
        }
        var current = await _store.GetAsync<Node>("n1");
        Assert.NotEqual(created.Metadata.ResourceVersion, current.Metadata.ResourceVersion);
        await _store.UpdateAsync(current with { Spec = current.Spec with { AsNumber = 65001 } });

        Assert.True(await next);
        Assert.Equal(WatchEventType.Modified, watch.Current.Type);
        Assert.Equal(65001u, watch.Current.Object.Spec.AsNumber);
    }

    [Fact]
    public async Task Watch_StartedAfterTheNodeWasCreated_StillSeesItDeleted()
    {
        var created = await _store.CreateAsync(NewNode("n1"));
        var start = (await _store.ListAsync<Node>()).ResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = _store.WatchAsync<Node>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();

        await _store.DeleteAsync<Node>("n1");

        Assert.True(await next);
        Assert.Equal((WatchEventType.Deleted, "n1"), (watch.Current.Type, watch.Current.Object.Name));
        Assert.Equal(created.Metadata.Uid, watch.Current.Object.Metadata.Uid);
    }

    private static Node NewNode(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { Addresses = ["172.18.0.2/24"], AsNumber = 64512 },
    };
}
