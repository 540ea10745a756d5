using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>What only etcd has: several endpoints, members that die and come back, history compaction.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdEndpointTests(EtcdFixture etcd) : IAsyncLifetime
{
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => etcd.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Store_FirstEndpointDead_WorksThroughTheNextOne()
    {
        var dead = EtcdFixture.FreePort();
        await using var store = await StoreFactory.OpenAsync($"etcd://127.0.0.1:{dead},127.0.0.1:{etcd.ClientPort}");

        var created = await store.CreateAsync(NewNode("n1"));
        var updated = await store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 65001 } });

        Assert.Equal(updated.Metadata.ResourceVersion, (await store.GetAsync<Node>("n1")).Metadata.ResourceVersion);
        Assert.Single((await store.ListAsync<Node>()).Items);
    }

    [Fact]
    public async Task Watch_FirstEndpointDead_DeliversThroughTheNextOne()
    {
        var dead = EtcdFixture.FreePort();
        await using var store = await StoreFactory.OpenAsync($"etcd://127.0.0.1:{dead},127.0.0.1:{etcd.ClientPort}");
        var start = (await store.ListAsync<Node>()).ResourceVersion;
        await store.CreateAsync(NewNode("n1"));

        using var cts = new CancellationTokenSource(WatchTimeout);
        await using var watch = store.WatchAsync<Node>(start, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("n1", watch.Current.Object.Name);
    }

    [Fact]
    public async Task Store_NoEndpointReachable_ThrowsUnavailableNamingThem()
    {
        var dead1 = EtcdFixture.FreePort();
        var dead2 = EtcdFixture.FreePort();
        await using var store = await StoreFactory.OpenAsync($"etcd://127.0.0.1:{dead1},127.0.0.1:{dead2}");

        var error = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync<Node>());

        Assert.Contains($"127.0.0.1:{dead1}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{dead2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_MemberCrashesAndReturns_ResumesWithoutGap()
    {
        await using var store = await StoreFactory.OpenAsync(etcd.Url);
        var start = (await store.ListAsync<Node>()).ResourceVersion;
        await store.CreateAsync(NewNode("before-crash"));
        using var cts = new CancellationTokenSource(WatchTimeout);
        await using var watch = store.WatchAsync<Node>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());

        etcd.Kill();
        await etcd.StartAsync();
        // writes made while the watch was reconnecting must still arrive, in order
        await using (var writer = await StoreFactory.OpenAsync(etcd.Url))
        {
            await writer.CreateAsync(NewNode("after-1"));
            await writer.CreateAsync(NewNode("after-2"));
        }

        var names = new List<string>();
        while (names.Count < 2 && await watch.MoveNextAsync())
        {
            names.Add(watch.Current.Object.Name);
        }
        Assert.Equal(["after-1", "after-2"], names);
    }

    [Fact]
    public async Task Watch_FromCompactedRevision_ThrowsCompacted()
    {
        await using var store = await StoreFactory.OpenAsync(etcd.Url);
        var old = (await store.ListAsync<Node>()).ResourceVersion;
        await store.CreateAsync(NewNode("n1"));
        var current = (await store.CreateAsync(NewNode("n2"))).Metadata.ResourceVersion!;
        await etcd.CompactAsync(current);

        using var cts = new CancellationTokenSource(WatchTimeout);
        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in store.WatchAsync<Node>(old, cts.Token))
            {
            }
        });
    }

    [Fact]
    public async Task Keys_UnderDocumentedPrefix_HoldResourceJson()
    {
        await using var store = await StoreFactory.OpenAsync(etcd.Url);
        await store.CreateAsync(NewNode("n1"));

        var get = await Proc.RunAsync(
            "/usr/bin/etcdctl",
            ["--endpoints", $"127.0.0.1:{etcd.ClientPort}", "get", "--print-value-only", "/routednet.io/v1/Node/n1"],
            env: new Dictionary<string, string?> { ["ETCDCTL_API"] = "3" });

        Assert.Contains("\"apiVersion\":\"routednet.io/v1\"", get.EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Node\"", get.Stdout, StringComparison.Ordinal);
    }

    private static Node NewNode(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { Addresses = ["172.18.0.2/24"] },
    };
}
