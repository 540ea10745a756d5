using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

public abstract partial class StoreContractTests
{
    // An upper bound for a failing watch, not a speed requirement.
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Watch_FromListVersion_SeesAddModifyDeleteOfItsKindInOrder()
    {
        await Store.CreateAsync(NewNode("before"));
        var list = await Store.ListAsync<Node>();

        var n1 = await Store.CreateAsync(NewNode("n1"));
        await Store.CreateAsync(NewCounter("other-kind"));
        var n1b = await Store.UpdateAsync(n1 with { Spec = n1.Spec with { AsNumber = 5 } });
        await Store.DeleteAsync<Node>("n1");

        var events = await TakeAsync(Store.WatchAsync<Node>(list.ResourceVersion), 3);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("n1", e.Object.Name));
        Assert.Equal(n1.Metadata.ResourceVersion, events[0].ResourceVersion);
        Assert.Equal(n1b.Metadata.ResourceVersion, events[1].ResourceVersion);
        Assert.Equal(5u, events[2].Object.Spec.AsNumber);
        Assert.NotEqual(n1b.Metadata.ResourceVersion, events[2].ResourceVersion);
    }

    [Fact]
    public async Task Watch_ResumedFromAnEventsVersion_ContinuesWithoutGapOrRepeat()
    {
        var start = (await Store.ListAsync<Node>()).ResourceVersion;
        for (var i = 0; i < 6; i++)
        {
            await Store.CreateAsync(NewNode($"n{i}"));
        }

        var first = await TakeAsync(Store.WatchAsync<Node>(start), 2);
        var rest = await TakeAsync(Store.WatchAsync<Node>(first[^1].ResourceVersion), 4);

        Assert.Equal(["n0", "n1", "n2", "n3", "n4", "n5"], first.Concat(rest).Select(e => e.Object.Name));
    }

    [Fact]
    public async Task Watch_ResumedInsideATransaction_DeliversItsRemainingEvents()
    {
        var start = (await Store.ListAsync<Node>()).ResourceVersion;
        var transaction = new StoreTransaction().Create(NewNode("t1")).Create(NewNode("t2"));
        if (await RefusedWithoutTransactionsAsync(transaction))
        {
            Assert.Empty((await Store.ListAsync<Node>()).Items);
            return;
        }
        await Store.CommitAsync(transaction);
        await Store.CreateAsync(NewNode("t3"));

        var all = await TakeAsync(Store.WatchAsync<Node>(start), 3);

        Assert.Equal(["t1", "t2", "t3"], all.Select(e => e.Object.Name));
        Assert.Equal(all[0].ResourceVersion, all[1].ResourceVersion);
    }

    [Fact]
    public async Task Watch_FromNow_SeesOnlyLaterChangesIncludingOtherClients()
    {
        await Store.CreateAsync(NewNode("old"));
        var other = await OpenAnotherAsync();
        using var cts = new CancellationTokenSource(WatchTimeout);
        await using var watch = Store.WatchAsync<Node>(null, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();

        // The watch may start before or after this write only if it ignores "old": keep writing
        // until it reports something, then check that it never reported "old".
        var i = 0;
        while (!next.IsCompleted)
        {
            await other.CreateAsync(NewNode($"new{i++}"));
            await Task.WhenAny(next, Task.Delay(100, cts.Token));
        }

        Assert.True(await next);
        Assert.StartsWith("new", watch.Current.Object.Name, StringComparison.Ordinal);
        Assert.Equal(WatchEventType.Added, watch.Current.Type);
    }

    private static async Task<List<WatchEvent<T>>> TakeAsync<T>(IAsyncEnumerable<WatchEvent<T>> watch, int count)
        where T : Resource
    {
        using var cts = new CancellationTokenSource(WatchTimeout);
        var events = new List<WatchEvent<T>>();
        await foreach (var e in watch.WithCancellation(cts.Token))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }
        return events;
    }
}
