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

        cache.Upsert(Endpoint("a", "n1", "42"));

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

        cache.Upsert(Endpoint("a", "n1", "2"));
        cache.Upsert(Endpoint("a", "n1", "3"));
        cache.Remove("b");
        cache.Remove("missing");
        Assert.Equal(["a", "b"], cache.TakeChangedKeys().Order());

        cache.ReplaceAll([cache.Items["a"], Endpoint("c", "n1", "4")]);
        Assert.Equal(["c"], cache.TakeChangedKeys());
        Assert.Equal(["a", "c"], cache.InPartition("n1").Keys);
    }
}
