using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam.Tests.Blocks;

public class BlockStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AllocationAttribute A = new() { HandleId = "a" };
    private static readonly AllocationAttribute B = new() { HandleId = "b" };

    [Fact]
    public void Allocate_EmptyBlock_HandsOutInAddressOrder()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/30"));
        var taken = new List<int>();
        Assert.Equal(3, block.Allocate(3, A, default, T0, TimeSpan.Zero, taken));
        Assert.Equal([0, 1, 2], taken);
        Assert.Equal(1, block.FreeCount);
    }

    [Fact]
    public void Allocate_AfterReleases_ReusesLongestFreeFirst()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/30"));
        var taken = new List<int>();
        block.Allocate(4, A, default, T0, TimeSpan.Zero, taken);
        block.Release(2, T0, TimeSpan.Zero);
        block.Release(0, T0, TimeSpan.Zero);
        taken.Clear();
        block.Allocate(1, B, default, T0, TimeSpan.Zero, taken);
        Assert.Equal([2], taken);
    }

    [Fact]
    public void Allocate_DuringCoolDown_SkipsReleasedAddress()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/31"));
        var taken = new List<int>();
        block.Allocate(2, A, default, T0, TimeSpan.Zero, taken);
        block.Release(1, T0, TimeSpan.FromSeconds(30));
        taken.Clear();
        Assert.Equal(0, block.Allocate(1, B, default, T0.AddSeconds(10), TimeSpan.FromSeconds(30), taken));
        Assert.Equal(1, block.Allocate(1, B, default, T0.AddSeconds(30), TimeSpan.FromSeconds(30), taken));
        Assert.Equal([1], taken);
    }

    [Fact]
    public void Allocate_ReservedRange_NeverHandedOut()
    {
        var cidr = IPNetwork.Parse("10.0.0.0/29");
        var block = BlockState.Empty(cidr);
        var reserved = ReservedOrdinals.For(cidr, [IPNetwork.Parse("10.0.0.0/30"), IPNetwork.Parse("10.0.0.7/32")]);
        var taken = new List<int>();
        Assert.Equal(3, block.Allocate(8, A, reserved, T0, TimeSpan.Zero, taken));
        Assert.Equal([4, 5, 6], taken);
    }

    [Fact]
    public void ReleaseHandle_TwoHandles_FreesOnlyThatHandlesAddresses()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/29"));
        var taken = new List<int>();
        block.Allocate(2, A, default, T0, TimeSpan.Zero, taken);
        block.Allocate(3, B, default, T0, TimeSpan.Zero, taken);
        Assert.Equal(2, block.ReleaseHandle("a", T0, TimeSpan.Zero));
        Assert.Equal(0, block.ReleaseHandle("a", T0, TimeSpan.Zero));
        Assert.Equal(3, block.InUse);
        Assert.Equal("b", block.AttributeAt(2)?.HandleId);
    }

    [Fact]
    public void ToSpec_AfterRoundTrip_KeepsAllocationsAndDropsUnusedAttributes()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/29"));
        var taken = new List<int>();
        block.Allocate(2, A, default, T0, TimeSpan.Zero, taken);
        block.Allocate(2, B, default, T0, TimeSpan.Zero, taken);
        block.ReleaseHandle("a", T0, TimeSpan.Zero);
        var spec = block.ToSpec(new IPAMBlockSpec());
        Assert.Single(spec.Attributes);
        var again = BlockState.From(spec);
        Assert.Equal("b", again.AttributeAt(2)?.HandleId);
        Assert.Equal("b", again.AttributeAt(3)?.HandleId);
        Assert.Null(again.AttributeAt(0));
        Assert.Equal(6, again.FreeCount);
    }

    [Fact]
    public void TryAssign_Taken_ReturnsFalse()
    {
        var block = BlockState.Empty(IPNetwork.Parse("10.0.0.0/30"));
        Assert.True(block.TryAssign(2, A));
        Assert.False(block.TryAssign(2, B));
        var taken = new List<int>();
        block.Allocate(4, B, default, T0, TimeSpan.Zero, taken);
        Assert.Equal([0, 1, 3], taken);
    }
}
