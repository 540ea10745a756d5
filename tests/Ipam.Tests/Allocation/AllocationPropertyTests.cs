using System.Net;
using CsCheck;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

/// <summary>
/// Random sequences of allocate / release-by-handle / release-by-address over a small pool shared
/// by three nodes (so that claiming, exhaustion and borrowing all happen), checked against a model.
/// </summary>
public class AllocationPropertyTests
{
    private enum Op
    {
        Allocate,
        ReleaseHandle,
        ReleaseAddress,
    }

    private static readonly Gen<(Op Op, int Handle, int Count)> Step =
        Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 7], Gen.Int[1, 6]);

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task RandomOperations_NeverHandOutAnAddressTwice_AndCheckStaysClean(StoreMode mode)
    {
        await Step.Array[1, 25].SampleAsync(
            async steps =>
            {
                var (temp, store) = await TempStore.CreateAsync(mode);
                await using var _ = temp;
                await AddPoolAsync(store, "small", "10.9.0.0/27", blockSize: 29);
                var ipam = new IpamClient(store);
                var model = new Dictionary<string, List<IPAddress>>();
                foreach (var (op, h, count) in steps)
                {
                    await ApplyAsync(ipam, model, op, "h" + h, count);
                    var all = model.Values.SelectMany(a => a).ToArray();
                    Assert.Equal(all.Length, all.Distinct().Count());
                    var report = await ipam.CheckAsync(model.Keys.ToHashSet());
                    Assert.True(report.IsClean, string.Join("; ", report.Problems));
                    Assert.Equal(all.Length, report.Allocations);
                }
            },
            iter: 30,
            threads: 1);
    }

    private static async Task ApplyAsync(IpamClient ipam, Dictionary<string, List<IPAddress>> model, Op op, string handle, int count)
    {
        switch (op)
        {
            case Op.Allocate when !model.ContainsKey(handle):
                var node = "n" + (handle[^1] % 3);
                try
                {
                    model[handle] = (await ipam.AllocateAsync(V4(handle, node, count))).Select(a => a.Address).ToList();
                    Assert.Equal(count, model[handle].Count);
                }
                catch (IpamException e) when (e.Code == IpamErrorCode.NoAddressAvailable)
                {
                    Assert.True(model.Values.Sum(a => a.Count) + count > 32, "refused although the pool had room");
                }
                break;
            case Op.ReleaseHandle:
                var expected = model.Remove(handle, out var held) ? held.Count : 0;
                Assert.Equal(expected, await ipam.ReleaseHandleAsync(handle));
                break;
            case Op.ReleaseAddress when model.TryGetValue(handle, out var addresses):
                var address = addresses[count % addresses.Count];
                Assert.Equal(handle, await ipam.ReleaseAddressAsync(address));
                addresses.Remove(address);
                if (addresses.Count == 0)
                {
                    model.Remove(handle);
                }
                break;
        }
    }
}
