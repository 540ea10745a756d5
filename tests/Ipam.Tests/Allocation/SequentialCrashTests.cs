using System.Net;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Gc;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

/// <summary>
/// The sequential write order (a store without multi-object transactions, as the Kubernetes API)
/// with the process dying between two of its writes: check must find exactly what the crash left,
/// never a problem, and gc must clear it, with no address ever held twice.
/// </summary>
public class SequentialCrashTests
{
    private static readonly Gen<(bool Release, int Handle, int Count, int CrashAfter)> Step =
        Gen.Select(Gen.Bool, Gen.Int[0, 7], Gen.Int[1, 3], Gen.Int[-4, 6]);

    /// <summary>
    /// The first ADD of a node writes: (1) pending affinity, (2) block, (3) confirmed affinity,
    /// (4) handle, (5) block with the address. A crash after each of the first four.
    /// </summary>
    [Theory]
    [InlineData(1, "stale")]
    [InlineData(2, "still pending")]
    [InlineData(3, "")]
    [InlineData(4, "counts 1 address(es)")]
    public async Task Allocate_CrashAfterNthWrite_CheckFindsExactlyTheDebris_GcClearsIt_NextAddGetsAFreshAddress(int writes, string debris)
    {
        var (temp, inner) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(inner, "p4", "10.244.0.0/16");
        var store = new RecordingStore(inner, transactions: false);
        store.CrashAfter(writes);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => new IpamClient(store).AllocateAsync(V4("h1", "n1")));

        var ipam = new IpamClient(new RecordingStore(inner, transactions: false));
        var report = await ipam.CheckAsync(new HashSet<string>());
        Assert.Empty(report.Problems);
        Assert.Equal(0, report.Allocations);
        var found = report.StaleAffinities.Select(s => "stale " + s).Concat(report.Interrupted).ToArray();
        if (debris.Length == 0)
        {
            Assert.Empty(found);
        }
        else
        {
            Assert.Contains(found, f => f.Contains(debris, StringComparison.Ordinal));
            Assert.Single(found);
        }

        await GcLaterAsync(inner, []);

        Assert.True((await ipam.CheckAsync(new HashSet<string>())).IsClean);
        var got = Assert.Single(await ipam.AllocateAsync(V4("h1", "n1")));
        var again = Assert.Single(await ipam.AllocateAsync(V4("h2", "n1")));
        Assert.NotEqual(got.Address, again.Address);
        Assert.Single((await inner.ListAsync<BlockAffinity>()).Items);
        Assert.True((await ipam.CheckAsync(new HashSet<string> { "h1", "h2" })).IsClean);
    }

    /// <summary>A release writes (1) the block, (2) the handle: a crash between leaves an over-count; the retried DEL finishes it.</summary>
    [Fact]
    public async Task ReleaseHandle_CrashBetweenBlockAndHandle_RetriedReleaseFinishes_NoAddressLost()
    {
        var (temp, inner) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(inner, "p4", "10.244.0.0/16");
        var store = new RecordingStore(inner, transactions: false);
        var address = Assert.Single(await new IpamClient(store).AllocateAsync(V4("h1", "n1"))).Address;
        store.CrashAfter(1);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => new IpamClient(store).ReleaseHandleAsync("h1"));

        var ipam = new IpamClient(new RecordingStore(inner, transactions: false));
        var report = await ipam.CheckAsync(new HashSet<string>());
        Assert.Empty(report.Problems);
        Assert.Equal(0, report.Allocations);
        Assert.Contains(report.Interrupted, i => i.Contains("handle h1 counts 1", StringComparison.Ordinal));
        Assert.Equal(0, await ipam.ReleaseHandleAsync("h1"));
        Assert.True((await ipam.CheckAsync(new HashSet<string>())).IsClean);
        Assert.Null(await ipam.GetAddressAsync(address));
    }

    /// <summary>A node release writes (1) the block (deleted: it is empty), (2) the affinity.</summary>
    [Fact]
    public async Task ReleaseNode_CrashBetweenBlockAndAffinity_CheckFindsAffinityWithoutBlock_GcDeletesIt()
    {
        var (temp, inner) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(inner, "p4", "10.244.0.0/16");
        var store = new RecordingStore(inner, transactions: false);
        var ipam = new IpamClient(store);
        await ipam.AllocateAsync(V4("h1", "n1"));
        await ipam.ReleaseHandleAsync("h1");
        store.CrashAfter(1);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => ipam.ReleaseNodeAsync("n1"));

        var report = await new IpamClient(inner).CheckAsync();
        Assert.Empty(report.Problems);
        Assert.Empty((await inner.ListAsync<IPAMBlock>()).Items);
        Assert.Contains(report.Interrupted, i => i.Contains("does not exist", StringComparison.Ordinal));
        await GcLaterAsync(inner, []);
        Assert.True((await new IpamClient(inner).CheckAsync()).IsClean);
        Assert.Empty((await inner.ListAsync<BlockAffinity>()).Items);
    }

    [Fact]
    public async Task Gc_BlockOwnedWithoutAffinity_EmptyBlockDeleted_UsedBlockKeptOwnerless()
    {
        var (temp, inner) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(inner, "p4", "10.244.0.0/16");
        var store = new RecordingStore(inner, transactions: false);
        var ipam = new IpamClient(store);
        var used = Assert.Single(await ipam.AllocateAsync(V4("h1", "n1")));
        Assert.Single(await ipam.AllocateAsync(V4("h2", "n2")));
        await ipam.ReleaseHandleAsync("h2");
        foreach (var affinity in (await inner.ListAsync<BlockAffinity>()).Items)
        {
            await inner.DeleteAsync<BlockAffinity>(affinity.Metadata.Name);
        }

        Assert.Equal(2, (await ipam.CheckAsync()).Interrupted.Count);
        await GcLaterAsync(inner, ["h1"]);

        var block = Assert.Single((await inner.ListAsync<IPAMBlock>()).Items);
        Assert.Equal(used.Block.ToString(), block.Spec.Cidr);
        Assert.Null(block.Spec.Affinity);
        Assert.True((await ipam.CheckAsync(new HashSet<string> { "h1" })).IsClean);
    }

    /// <summary>
    /// Random ADDs and DELs over a small pool shared by three nodes, some of them killed after a
    /// random number of writes; after each step check finds no problem and gc (with the live set a
    /// runtime would give) leaves exactly the live attachments' addresses, each held once.
    /// </summary>
    [Fact]
    public async Task RandomOperationsWithCrashes_CheckFindsNoProblem_GcLeavesExactlyTheLive_NoAddressTwice()
    {
        await Step.Array[1, 20].SampleAsync(
            async steps =>
            {
                var (temp, inner) = await TempStore.CreateAsync();
                await using var _ = temp;
                await AddPoolAsync(inner, "small", "10.9.0.0/27", blockSize: 29);
                var model = new Dictionary<string, List<IPAddress>>();
                foreach (var (release, h, count, crashAfter) in steps)
                {
                    var handle = "h" + h;
                    var store = new RecordingStore(inner, transactions: false);
                    if (crashAfter >= 0)
                    {
                        store.CrashAfter(crashAfter);
                    }
                    var ipam = new IpamClient(store);
                    try
                    {
                        if (release)
                        {
                            model.Remove(handle);
                            await ipam.ReleaseHandleAsync(handle);
                        }
                        else if (!model.ContainsKey(handle))
                        {
                            var got = (await ipam.AllocateAsync(V4(handle, "n" + (h % 3), count))).Select(a => a.Address).ToList();
                            Assert.Equal(count, got.Count);
                            model[handle] = got;
                        }
                    }
                    catch (SimulatedCrashException)
                    {
                        // The attachment is dead: a runtime's GC will not list it as live.
                    }
                    catch (IpamException e) when (e.Code == IpamErrorCode.NoAddressAvailable)
                    {
                    }
                    var live = model.Keys.ToHashSet();
                    var checker = new IpamClient(inner);
                    var before = await checker.CheckAsync(live);
                    Assert.True(before.Problems.Count == 0, string.Join("; ", before.Problems));

                    await GcLaterAsync(inner, live);

                    var after = await checker.CheckAsync(live);
                    Assert.True(after.IsClean, string.Join("; ", after.Problems.Concat(after.Interrupted).Concat(after.StaleAffinities)));
                    var all = model.Values.SelectMany(a => a).ToArray();
                    Assert.Equal(all.Length, all.Distinct().Count());
                    Assert.Equal(all.Length, after.Allocations);
                    foreach (var (id, addresses) in model)
                    {
                        Assert.Equal(addresses.Select(a => a.ToString()).Order(), (await checker.GetHandleAddressesAsync(id)).Select(a => a.ToString()).Order());
                    }
                }
            },
            iter: 25,
            threads: 1);
    }

    /// <summary>gc as an operator runs it well after the crash (past the grace period), in the sequential mode.</summary>
    private static Task GcLaterAsync(Datastore.IStore inner, IEnumerable<string> live) =>
        new IpamClient(new RecordingStore(inner, transactions: false), new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10)))
            .GcAsync(live.ToHashSet(), TimeSpan.FromMinutes(1), GcScope.Cluster);
}
