using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// The member the store talks to crashes mid-session: reads, CAS writes and an open watch carry
/// on through the surviving members, with no event lost.
/// </summary>
public sealed class EtcdClusterFailoverTests(EtcdClusterFixture cluster) : IClassFixture<EtcdClusterFixture>
{
    [Fact]
    public async Task Store_CurrentMemberCrashes_ContinuesOnAnotherMember()
    {
        await using var store = await StoreFactory.OpenAsync(cluster.Url);
        var start = (await store.ListAsync<Node>()).ResourceVersion;
        var node = await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = store.WatchAsync<Node>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());

        // The store starts on the first member of its URL.
        cluster.Kill(0);
        var updated = await UpdateWhileElectingAsync(store, node);

        Assert.Equal(65001u, (await store.GetAsync<Node>("n1")).Spec.AsNumber);
        Assert.True(await watch.MoveNextAsync(), cluster.Logs());
        Assert.Equal(WatchEventType.Modified, watch.Current.Type);
        Assert.Equal(updated.Metadata.ResourceVersion, watch.Current.ResourceVersion);
    }

    // If member 0 was the leader, the others elect a new one first; until then etcd answers
    // "leader changed"/unavailable, which the store reports as Unavailable: the caller retries.
    private static async Task<Node> UpdateWhileElectingAsync(IStore store, Node node)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await store.UpdateAsync(node with { Spec = node.Spec with { AsNumber = 65001 } });
            }
            catch (DatastoreUnavailableException) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }
}
