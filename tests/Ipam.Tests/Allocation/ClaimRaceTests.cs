using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

/// <summary>
/// Sibling processes of one node allocating at once (runtimes run CNI ADDs in parallel): a node
/// claims another block only when every block it holds is full.
/// </summary>
public class ClaimRaceTests
{
    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_SiblingsFillSmallBlocksInParallel_ClaimOnlyWhenFull_NoPendingLeft(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "small", "10.9.0.0/24", blockSize: 29);
        const int Workers = 12, PerWorker = 4, BlockAddresses = 8;

        var results = await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            var ipam = new IpamClient(await temp.OpenAsync(mode));
            var mine = new List<IPAddress>();
            for (var i = 0; i < PerWorker; i++)
            {
                mine.AddRange((await ipam.AllocateAsync(V4($"w{w}.{i}", "n1"))).Select(a => a.Address));
            }
            return mine;
        }));

        var all = results.SelectMany(r => r).ToArray();
        Assert.Equal(Workers * PerWorker, all.Distinct().Count());
        var affinities = (await store.ListAsync<BlockAffinity>()).Items;
        Assert.Equal(Workers * PerWorker / BlockAddresses, affinities.Count);
        Assert.All(affinities, a => Assert.Equal(BlockAffinitySpec.StateConfirmed, a.Spec.State));
        Assert.All((await store.ListAsync<IPAMBlock>()).Items, b => Assert.Empty(b.Spec.Unallocated));
        var report = await new IpamClient(store).CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_SiblingClaimPendingForNode_CompletesThatClaimInsteadOfAnother(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        // What a sibling process leaves between its two claim steps (or a crash leaves behind).
        await store.CreateAsync(new BlockAffinity
        {
            Metadata = new ObjectMeta { Name = "n1-10-244-7-0-24" },
            Spec = new BlockAffinitySpec { Node = "n1", Cidr = "10.244.7.0/24", State = BlockAffinitySpec.StatePending },
        });

        var got = Assert.Single(await new IpamClient(store).AllocateAsync(V4("h1", "n1")));

        Assert.Equal(IPNetwork.Parse("10.244.7.0/24"), got.Block);
        var affinity = Assert.Single((await store.ListAsync<BlockAffinity>()).Items);
        Assert.Equal(BlockAffinitySpec.StateConfirmed, affinity.Spec.State);
        Assert.True((await new IpamClient(store).CheckAsync()).IsClean);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_PendingClaimOnBlockAnotherNodeOwns_WithdrawsItAndClaimsAFreeBlock(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/23");
        var ipam = new IpamClient(store);
        var other = (await ipam.AllocateAsync(V4("h0", "n0")))[0].Block;
        // n1 lost the race for n0's block and crashed before withdrawing its pending affinity.
        await store.CreateAsync(new BlockAffinity
        {
            Metadata = new ObjectMeta { Name = "n1-" + other.ToString().Replace('.', '-').Replace('/', '-') },
            Spec = new BlockAffinitySpec { Node = "n1", Cidr = other.ToString(), State = BlockAffinitySpec.StatePending },
        });

        var got = Assert.Single(await ipam.AllocateAsync(V4("h1", "n1")));

        Assert.NotEqual(other, got.Block);
        var affinities = (await store.ListAsync<BlockAffinity>()).Items;
        Assert.Equal(["n0", "n1"], affinities.Select(a => a.Spec.Node).Order());
        Assert.All(affinities, a => Assert.Equal(BlockAffinitySpec.StateConfirmed, a.Spec.State));
        Assert.True((await ipam.CheckAsync()).IsClean);
    }
}
