namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>The real <c>kubectl get --watch</c> on the stand-in sees a pool created, edited and deleted, in that order.</summary>
public sealed class KubectlWatchTests(StandIn cluster) : IClassFixture<StandIn>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.InstallCrdsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GetWatch_PoolCreatedEditedDeleted_ThreeEventsInOrder()
    {
        // With the initial list printed too, the pool is reported ADDED whether kubectl lists it
        // or sees it created: no race with the watch opening.
        using var watch = cluster.Kubectl.Start(
            "get", "ippools", "--watch", "--output-watch-events", "-o", """jsonpath={.type} {.object.metadata.name} {.object.spec.disabled}{"\n"}""");

        await cluster.Kubectl.WithManifestAsync(KubectlResourceTests.Pool("watched", "10.90.0.0/16"), "create");
        await watch.WaitForLinesAsync(l => l.Contains("watched", StringComparison.Ordinal), 1, "the ADDED event");
        await cluster.Kubectl.CheckAsync("patch", "ippool", "watched", "--type=merge", "-p", """{"spec":{"disabled":true}}""");
        await watch.WaitForLinesAsync(l => l.Contains("watched", StringComparison.Ordinal), 2, "the MODIFIED event");
        await cluster.Kubectl.CheckAsync("delete", "ippool", "watched");
        await watch.WaitForLinesAsync(l => l.Contains("watched", StringComparison.Ordinal), 3, "the DELETED event");

        Assert.Equal(["ADDED watched ", "MODIFIED watched true", "DELETED watched true"], watch.Lines.Where(l => l.Contains("watched", StringComparison.Ordinal)));
    }
}
