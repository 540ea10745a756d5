using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

/// <summary>Many allocators, each with its own connection to one sqlite file (as parallel CNI processes).</summary>
public class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task ParallelAllocators_FourNodes_NeverShareAnAddress_OneBlockPerNode(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        const int Workers = 8, PerWorker = 12;

        var results = await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            var ipam = new IpamClient(await temp.OpenAsync(mode));
            var mine = new List<IPAddress>();
            for (var i = 0; i < PerWorker; i++)
            {
                mine.AddRange((await ipam.AllocateAsync(V4($"w{w}.{i}", "n" + (w % 4)))).Select(a => a.Address));
            }
            return mine;
        }));

        var all = results.SelectMany(r => r).ToArray();
        Assert.Equal(Workers * PerWorker, all.Distinct().Count());
        var affinities = (await store.ListAsync<BlockAffinity>()).Items;
        Assert.Equal(4, affinities.Count);
        Assert.Equal(4, affinities.Select(a => a.Spec.Node).Distinct().Count());
        var ipam = new IpamClient(store);
        var report = await ipam.CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
        Assert.Equal(all.Length, report.Allocations);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task ParallelAllocateAndRelease_SmallPool_NoDuplicateAndCleanAtEnd(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "small", "10.9.0.0/27", blockSize: 29);
        var held = new System.Collections.Concurrent.ConcurrentDictionary<IPAddress, string>();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async w =>
        {
            var ipam = new IpamClient(await temp.OpenAsync(mode));
            for (var i = 0; i < 10; i++)
            {
                var handle = $"w{w}.{i}";
                var got = await ipam.AllocateAsync(V4(handle, "n" + (w % 3), count: 2));
                foreach (var a in got)
                {
                    Assert.True(held.TryAdd(a.Address, handle), $"{a.Address} handed to {handle} while {held.GetValueOrDefault(a.Address)} holds it");
                }
                foreach (var a in got)
                {
                    held.TryRemove(a.Address, out string? _);
                }
                Assert.Equal(2, await ipam.ReleaseHandleAsync(handle));
            }
        }));

        var report = await new IpamClient(store).CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
        Assert.Equal(0, report.Allocations);
    }
}
