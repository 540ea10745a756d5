using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Datastore;

namespace RoutedNet.Felix.Tests.Datastore;

/// <summary>
/// The agent's copy of a kind: changes are noted by key for policy's endpoints, and the echo of a
/// write the agent already took (the same resourceVersion) changes nothing.
/// </summary>
public sealed class ResourceCacheTests
{
    private static WorkloadEndpoint Endpoint(string name, string node, string? version) => new()
    {
        Metadata = new ObjectMeta { Name = name, ResourceVersion = version },
        Spec = new WorkloadEndpointSpec { Node = node, Namespace = "x", Pod = name },
    };

    [Fact]
    public void Upsert_SameResourceVersionAgain_FirstObjectKeptAndNoChangeNoted()
    {
        var cache = new ResourceCache<WorkloadEndpoint>(e => e.Spec.Node);
        var written = Endpoint("a", "n1", "42");
        cache.Upsert(written);
        Assert.Equal(["a"], cache.TakeChangedKeys());

        Assert.False(cache.Upsert(Endpoint("a", "n1", "42")));

        Assert.Same(written, cache.Items["a"]);
        Assert.Empty(cache.TakeChangedKeys());
    }

    [Fact]
    public void UpsertRemoveReplaceAll_ChangedKeysNotedOnceUntilTaken()
    {
        var cache = new ResourceCache<WorkloadEndpoint>(e => e.Spec.Node);
        var kept = Endpoint("b", "n2", "1");
        cache.ReplaceAll([Endpoint("a", "n1", "1"), kept]);
        Assert.Equal(["a", "b"], cache.TakeChangedKeys().Order());

        Assert.True(cache.Upsert(Endpoint("a", "n1", "2")));
        Assert.True(cache.Upsert(Endpoint("a", "n1", "3")));
        Assert.True(cache.Remove("b"));
        Assert.False(cache.Remove("missing"));
        Assert.Equal(["a", "b"], cache.TakeChangedKeys().Order());

        Assert.True(cache.ReplaceAll([cache.Items["a"], Endpoint("c", "n1", "4")]));
        Assert.Equal(["c"], cache.TakeChangedKeys());
        Assert.Equal(["a", "c"], cache.InPartition("n1").Keys);
    }

    // What lets the agent's loop skip a pass: a relist of the very objects it holds (after a
    // broken watch) reports no change, and one new object, one gone or an equal copy does.
    [Fact]
    public void ReplaceAll_ReportsWhetherAnythingChanged()
    {
        var cache = new ResourceCache<WorkloadEndpoint>(e => e.Spec.Node);
        Assert.True(cache.ReplaceAll([]));
        Assert.False(cache.ReplaceAll([]));
        var a = Endpoint("a", "n1", "1");
        Assert.True(cache.ReplaceAll([a]));

        Assert.False(cache.ReplaceAll([a]));
        Assert.True(cache.ReplaceAll([Endpoint("a", "n1", "1")]));
        Assert.True(cache.ReplaceAll([]));
        Assert.Empty(cache.InPartition("n1"));
    }
}
