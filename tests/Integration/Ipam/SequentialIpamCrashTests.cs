using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Gc;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// kill -9 at random moments of processes that run IpamClient in its sequential write mode (a
/// store without multi-object transactions, as the Kubernetes API): whatever a crash leaves, check
/// finds only leaks and interrupted writes, never a problem or an address held twice, and gc clears
/// them. One driver per node; one of them holds the node agent's cache.
/// </summary>
public sealed class SequentialIpamCrashTests
{
    private const int Rounds = 20;
    private const int Nodes = 3;
    private const int SigKillExit = 128 + 9;

    // At most 30 ADDs (and 10 DELs) per driver and round keep the pool from filling up over the rounds.
    private const int PerDriver = 30;

    [Theory]
    [InlineData(SequentialBackend.SqliteWithoutTransactions)]
    public async Task KillDriversAtRandomMoments_TwentyRounds_CheckFindsNoProblem_GcLeavesExactlyTheLive(string backend)
    {
        await using var target = await SequentialBackend.OpenAsync(backend);
        await target.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.233.0.0/20", BlockSize = 28 } });
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var live = new Dictionary<string, string>(StringComparer.Ordinal); // handle → address
        int killed = 0, roundsWithDebris = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var context = $"{backend}, seed {seed}, round {round}";
            var drivers = Enumerable.Range(0, Nodes)
                .Select(k => IpamDriver.Start(target.DriverArgs, $"n{k}", $"r{round}n{k}", cache: k == 0, count: PerDriver))
                .ToArray();
            try
            {
                await Task.WhenAll(drivers.Select(async d =>
                {
                    await d.FirstLine.WaitAsync(TimeSpan.FromSeconds(60));
                    await Task.Delay(random.Next(0, 150));
                    d.Kill();
                }));
                // Drivers of one round run at once, so only each one's own order is known: an address
                // it got must not be held by an earlier round's survivor or by its own live ones.
                var survivors = live.Values.ToHashSet();
                var mine = new List<Dictionary<string, string>>();
                foreach (var driver in drivers)
                {
                    var (exit, lines, stderr) = await driver.EndAsync();
                    Assert.True(exit is 0 or SigKillExit, $"{context}: the driver failed ({exit}): {stderr}");
                    killed += exit == SigKillExit ? 1 : 0;
                    var own = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var line in lines)
                    {
                        var parts = line.Split(' ');
                        if (parts[0] == "add")
                        {
                            Assert.False(survivors.Contains(parts[2]) || own.ContainsValue(parts[2]), $"{context}: {parts[2]} handed to {parts[1]} while held");
                            own[parts[1]] = parts[2];
                        }
                        else if (parts[0] == "deleting")
                        {
                            own.Remove(parts[1]);
                        }
                    }
                    mine.Add(own);
                }
                foreach (var (handle, address) in mine.SelectMany(m => m))
                {
                    live[handle] = address;
                }
                Assert.Equal(live.Count, live.Values.Distinct().Count());
            }
            finally
            {
                foreach (var driver in drivers)
                {
                    driver.Dispose();
                }
            }

            var ipam = new IpamClient(target.Store);
            var liveSet = live.Keys.ToHashSet();
            var before = await ipam.CheckAsync(liveSet);
            Assert.True(before.Problems.Count == 0, $"{context}: {string.Join("; ", before.Problems)}");
            if (!before.IsClean)
            {
                roundsWithDebris++;
            }

            await ipam.GcAsync(liveSet, TimeSpan.Zero, GcScope.Cluster);

            var after = await ipam.CheckAsync(liveSet);
            Assert.True(after.IsClean, $"{context}: after gc {string.Join("; ", after.Problems.Concat(after.Interrupted).Concat(after.StaleAffinities).Concat(after.Leaked.Select(l => l.HandleId)))}");
            Assert.Equal(live.Count, after.Allocations);
            foreach (var (handle, address) in live)
            {
                Assert.Equal([IPAddress.Parse(address)], await ipam.GetHandleAddressesAsync(handle));
            }
        }
        Assert.True(killed > 0 && roundsWithDebris > 0, $"seed {seed}: {killed} drivers killed, {roundsWithDebris} rounds left something for gc");
    }
}
