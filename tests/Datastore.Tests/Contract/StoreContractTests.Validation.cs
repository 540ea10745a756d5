using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Theory]
    [InlineData("10.244.0.0", null, "ADDRESS/PREFIX")]
    [InlineData("10.244.0.1/16", null, "host bits")]
    [InlineData("10.300.0.0/16", null, "bad address")]
    [InlineData("10.244.0.0/16", 19, "/20 to /32")]
    [InlineData("10.244.0.0/16", 33, "/20 to /32")]
    [InlineData("fd00:244::/56", 115, "/116 to /128")]
    [InlineData("10.244.0.0/24", 22, "larger than the pool")]
    [InlineData("169.254.0.0/16", null, "link-local")]
    [InlineData("169.0.0.0/8", null, "link-local")]
    public async Task CreatePool_Invalid_ThrowsValidationNamingTheProblemAndStoresNothing(string cidr, int? blockSize, string expected)
    {
        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPool("bad", cidr, blockSize)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("IPPool \"bad\"", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task CreatePool_OverlapsExistingPool_ThrowsValidationNamingTheOther()
    {
        await Store.CreateAsync(NewPool("wide", "10.244.0.0/16"));

        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPool("inner", "10.244.8.0/21")));

        Assert.Contains("overlaps IPPool \"wide\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePool_ItsOwnRange_IsNotAnOverlap()
    {
        var pool = await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewPool("v6", "fd00:244::/56"));

        var updated = await Store.UpdateAsync(pool with { Spec = pool.Spec with { Disabled = true } });

        Assert.True(updated.Spec.Disabled);
    }

    [Fact]
    public async Task Create_BadName_ThrowsValidation()
    {
        await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewNode("a/b")));
        await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewNode("")));
    }
}
