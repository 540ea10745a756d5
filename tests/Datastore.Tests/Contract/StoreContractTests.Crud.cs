using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Create_NewObject_ReturnsItWithVersionUidAndCreationTime()
    {
        var created = await Store.CreateAsync(NewNode("n1"));

        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        var read = await Store.GetAsync<Node>("n1");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(["172.18.0.2/24"], read.Spec.Addresses);
        Assert.Equal(64512u, read.Spec.AsNumber);
        Assert.Equal("r1", read.Metadata.Labels!["rack"]);
        Assert.Equal("Node", read.Kind);
    }

    [Fact]
    public async Task Create_NameTaken_ThrowsAlreadyExistsAndKeepsOriginal()
    {
        await Store.CreateAsync(NewNode("n1", "10.0.0.1/24"));

        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => Store.CreateAsync(NewNode("n1", "10.0.0.2/24")));
        Assert.Equal(["10.0.0.1/24"], (await Store.GetAsync<Node>("n1")).Spec.Addresses);
    }

    [Fact]
    public async Task Create_SameNameOtherKind_IsIndependent()
    {
        await Store.CreateAsync(NewNode("same"));
        await Store.CreateAsync(NewCounter("same"));

        Assert.NotNull(await Store.TryGetAsync<Node>("same"));
        Assert.NotNull(await Store.TryGetAsync<IPAMConfig>("same"));
    }

    [Fact]
    public async Task Get_Missing_ThrowsNotFoundAndTryGetReturnsNull()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.GetAsync<Node>("nope"));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.TryGetAsync<Node>("nope"));
    }

    [Fact]
    public async Task Update_CurrentVersion_StoresChangeWithNewVersionAndSameUid()
    {
        var created = await Store.CreateAsync(NewNode("n1"));

        var updated = await Store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 65001 } });

        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        var read = await Store.GetAsync<Node>("n1");
        Assert.Equal(65001u, read.Spec.AsNumber);
        Assert.Equal(updated.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, read.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task Update_StaleVersion_ThrowsConflictAndKeepsNewerValue()
    {
        var created = await Store.CreateAsync(NewNode("n1"));
        await Store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 1 } });

        await Assert.ThrowsAsync<RevisionConflictException>(
            () => Store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 2 } }));
        Assert.Equal(1u, (await Store.GetAsync<Node>("n1")).Spec.AsNumber);
    }

    [Fact]
    public async Task Update_Missing_ThrowsNotFound()
    {
        var created = await Store.CreateAsync(NewNode("n1"));
        await Store.DeleteAsync<Node>("n1");

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.UpdateAsync(created));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.UpdateAsync(NewNode("never")));
    }

    [Fact]
    public async Task Update_NoVersion_OverwritesAndKeepsIdentity()
    {
        var created = await Store.CreateAsync(NewNode("n1"));
        await Store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 1 } });

        var overwritten = await Store.UpdateAsync(NewNode("n1", "10.9.9.9/24"));

        var read = await Store.GetAsync<Node>("n1");
        Assert.Equal(["10.9.9.9/24"], read.Spec.Addresses);
        Assert.Equal(overwritten.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
    }

    [Fact]
    public async Task Delete_CurrentVersion_RemovesObject()
    {
        var created = await Store.CreateAsync(NewNode("n1"));

        await Store.DeleteAsync<Node>("n1", created.Metadata.ResourceVersion);

        Assert.Null(await Store.TryGetAsync<Node>("n1"));
    }

    [Fact]
    public async Task Delete_StaleVersion_ThrowsConflictAndKeepsObject()
    {
        var created = await Store.CreateAsync(NewNode("n1"));
        await Store.UpdateAsync(created with { Spec = created.Spec with { AsNumber = 7 } });

        await Assert.ThrowsAsync<RevisionConflictException>(() => Store.DeleteAsync<Node>("n1", created.Metadata.ResourceVersion));
        Assert.Equal(7u, (await Store.GetAsync<Node>("n1")).Spec.AsNumber);
    }

    [Fact]
    public async Task Delete_Missing_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.DeleteAsync<Node>("nope"));
    }

    [Fact]
    public async Task Recreate_AfterDelete_GetsNewUid()
    {
        var first = await Store.CreateAsync(NewNode("n1"));
        await Store.DeleteAsync<Node>("n1");

        var second = await Store.CreateAsync(NewNode("n1"));

        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
    }

    [Fact]
    public async Task List_SeveralKinds_ReturnsOnlyThatKindSortedByName()
    {
        await Store.CreateAsync(NewNode("b"));
        await Store.CreateAsync(NewNode("a"));
        await Store.CreateAsync(NewNode("c.example"));
        await Store.CreateAsync(NewCounter("a"));

        var nodes = await Store.ListAsync<Node>();

        Assert.Equal(["a", "b", "c.example"], nodes.Items.Select(n => n.Name));
        Assert.All(nodes.Items, n => Assert.False(string.IsNullOrEmpty(n.Metadata.ResourceVersion)));
        Assert.Single((await Store.ListAsync<IPAMConfig>()).Items);
        Assert.Empty((await Store.ListAsync<BGPPeer>()).Items);
    }

    [Fact]
    public async Task Create_AnotherClient_SeesIt()
    {
        var other = await OpenAnotherAsync();
        await Store.CreateAsync(NewNode("n1"));

        Assert.NotNull(await other.TryGetAsync<Node>("n1"));
    }
}
