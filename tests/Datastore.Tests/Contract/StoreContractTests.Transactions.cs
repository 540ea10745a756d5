using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

// A store without multi-object transactions (the kubernetes datastore: IStore.SupportsTransactions
// is false) refuses every commit of more than one operation and applies none of it; each test
// below then checks that refusal and that nothing changed. Single-operation commits are every
// other test's Create/Update/Delete; IPAM's ordered-write mode stands in for the rest (ipam tests).
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Commit_AllPreconditionsHold_AppliesEveryOpAtOneVersion()
    {
        var toUpdate = await Store.CreateAsync(NewNode("update-me"));
        var toDelete = await Store.CreateAsync(NewNode("delete-me"));
        var transaction = new StoreTransaction()
            .Create(NewNode("new"))
            .Update(toUpdate with { Spec = toUpdate.Spec with { AsNumber = 9 } })
            .Delete<Node>("delete-me", toDelete.Metadata.ResourceVersion);
        if (await RefusedWithoutTransactionsAsync(transaction))
        {
            Assert.Null(await Store.TryGetAsync<Node>("new"));
            Assert.Equal(64512u, (await Store.GetAsync<Node>("update-me")).Spec.AsNumber);
            Assert.NotNull(await Store.TryGetAsync<Node>("delete-me"));
            return;
        }

        var result = await Store.CommitAsync(transaction);

        Assert.Equal(3, result.Results.Count);
        Assert.Null(result.Results[2]);
        Assert.All(result.Results.Take(2), r => Assert.Equal(result.ResourceVersion, r!.Metadata.ResourceVersion));
        Assert.Equal(9u, (await Store.GetAsync<Node>("update-me")).Spec.AsNumber);
        Assert.Equal(result.ResourceVersion, (await Store.GetAsync<Node>("new")).Metadata.ResourceVersion);
        Assert.Null(await Store.TryGetAsync<Node>("delete-me"));
    }

    [Fact]
    public async Task Commit_OneStaleVersion_ThrowsConflictAndAppliesNothing()
    {
        var stale = await Store.CreateAsync(NewNode("stale"));
        await Store.UpdateAsync(stale with { Spec = stale.Spec with { AsNumber = 1 } });

        var transaction = new StoreTransaction()
            .Create(NewNode("new"))
            .Update(stale with { Spec = stale.Spec with { AsNumber = 2 } });
        if (!await RefusedWithoutTransactionsAsync(transaction))
        {
            await Assert.ThrowsAsync<RevisionConflictException>(() => Store.CommitAsync(transaction));
        }

        Assert.Null(await Store.TryGetAsync<Node>("new"));
        Assert.Equal(1u, (await Store.GetAsync<Node>("stale")).Spec.AsNumber);
    }

    [Fact]
    public async Task Commit_CreateOfExisting_ThrowsAlreadyExistsAndAppliesNothing()
    {
        await Store.CreateAsync(NewNode("taken"));
        var counter = await Store.CreateAsync(NewCounter("c"));

        var transaction = new StoreTransaction()
            .Update(counter with { Spec = counter.Spec with { MaxBlocksPerHost = 5 } })
            .Create(NewNode("taken"));
        if (!await RefusedWithoutTransactionsAsync(transaction))
        {
            await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => Store.CommitAsync(transaction));
        }

        Assert.Equal(0, (await Store.GetAsync<IPAMConfig>("c")).Spec.MaxBlocksPerHost);
    }

    [Fact]
    public async Task Commit_DeleteOfMissing_ThrowsNotFound()
    {
        var transaction = new StoreTransaction()
            .Create(NewNode("new"))
            .Delete<Node>("missing");
        if (!await RefusedWithoutTransactionsAsync(transaction))
        {
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.CommitAsync(transaction));
        }

        Assert.Null(await Store.TryGetAsync<Node>("new"));
    }

    [Fact]
    public void Transaction_SameKeyTwice_IsRejected()
    {
        var transaction = new StoreTransaction().Create(NewNode("x"));

        Assert.Throws<ArgumentException>(() => transaction.Delete<Node>("x"));
    }

    /// <summary>True (after checking the refusal) when the store has no multi-object transactions.</summary>
    protected async Task<bool> RefusedWithoutTransactionsAsync(StoreTransaction transaction)
    {
        if (Store.SupportsTransactions)
        {
            return false;
        }
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => Store.CommitAsync(transaction));
        Assert.Contains("no multi-object transactions", error.Message, StringComparison.Ordinal);
        return true;
    }
}
