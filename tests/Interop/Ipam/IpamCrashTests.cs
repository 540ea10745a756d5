using System.Diagnostics;
using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Interop.Etcd;
using static RoutedNet.Interop.Ipam.IpamBinaries;

namespace RoutedNet.Interop.Ipam;

/// <summary>
/// kill -9 of `routednet-ipam` processes at random moments of their ADD or DEL (a node rebooting,
/// the OOM killer): whatever a crash leaves, `routednetctl ipam check` finds only leaks and stale
/// claims — never an inconsistency or an address held twice — and `routednetctl ipam gc` clears them.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class IpamCrashTests(EtcdFixture etcd)
{
    private const int Rounds = 20;
    private const int AddsPerRound = 6;
    private const int DelsPerRound = 2;
    private const int SigKillExit = 128 + 9;

    public static TheoryData<string> Backends => [IpamBackend.Sqlite, IpamBackend.Etcd];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task KillDuringAddsAndDels_TwentyRounds_CheckFindsOnlyLeaks_GcClearsThem_NoAddressTwice(string backend)
    {
        await using var store = await IpamBackend.OpenAsync(backend, etcd);
        // Blocks of 16 addresses: the crashes land in block claims too, not only in allocations.
        await store.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.232.0.0/22", BlockSize = 28 } });
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var live = new Dictionary<string, string>(StringComparer.Ordinal); // container id → address
        int killed = 0, roundsWithDebris = 0;
        var liveFile = Path.Combine(Path.GetTempPath(), $"rnt-live-{Guid.NewGuid():N}");
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var context = $"seed {seed}, round {round}";
                var adds = Enumerable.Range(0, AddsPerRound).Select(k => ($"r{round}k{k}", $"n{k % 3}")).ToArray();
                var dels = live.Keys.OrderBy(_ => random.Next()).Take(DelsPerRound).ToArray();
                var calls = adds.Select(a => Call("ADD", a.Item1, a.Item2, random.Next(0, 60), random.Next(2) == 0, store.Url))
                    .Concat(dels.Select(id => Call("DEL", id, "n0", random.Next(0, 60), random.Next(2) == 0, store.Url)))
                    .ToArray();

                var results = await Task.WhenAll(calls);

                // DELs first: an ADD of this round may have got an address a DEL of this round freed.
                foreach (var (command, id, exit, stdout) in results.OrderBy(r => r.Command == "ADD"))
                {
                    if (command == "DEL")
                    {
                        // A runtime would retry a failed DEL; a killed one here is simply a dead pod for gc.
                        live.Remove(id);
                    }
                    else if (exit == 0)
                    {
                        var address = JsonDocument.Parse(stdout).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!;
                        Assert.DoesNotContain(address, live.Values);
                        live[id] = address;
                    }
                    else
                    {
                        Assert.True(exit == SigKillExit, $"{context}: ADD {id} failed without being killed: {stdout}");
                        killed++;
                    }
                }
                await File.WriteAllLinesAsync(liveFile, live.Keys.Select(Handle));

                var check = await CtlAsync(store.Url, "ipam", "check", "--live", liveFile);

                var problems = check.Stdout.Split('\n').Where(l => l.StartsWith("problem:", StringComparison.Ordinal)).ToArray();
                Assert.True(problems.Length == 0, $"{context}:\n{check.Stdout}{check.Stderr}");
                Assert.True(check.ExitCode is 0 or 1, $"{context}:\n{check.Stdout}{check.Stderr}");
                roundsWithDebris += check.ExitCode;
                // --none-live: every ADD of a round may have been killed, and then nothing is live.
                (await CtlAsync(store.Url, "ipam", "gc", "--live", liveFile, "--grace-period", "0", "--none-live")).EnsureSuccess();
                var after = await CtlAsync(store.Url, "ipam", "check", "--live", liveFile);
                Assert.True(after.ExitCode == 0, $"{context}: after gc\n{after.Stdout}{after.Stderr}\nbefore gc\n{check.Stdout}");
                Assert.Contains($" {live.Count} allocations", after.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(liveFile);
        }
        // The runs really crashed mid-allocation and left something for check and gc to find.
        Assert.True(killed > 0 && roundsWithDebris > 0, $"seed {seed}: {killed} ADDs killed, {roundsWithDebris} rounds left debris");
        Assert.NotEmpty(live);
    }

    /// <summary>Runs one CNI call; with <paramref name="kill"/>, SIGKILLs it after <paramref name="killAfterMs"/> unless it finished first.</summary>
    private static async Task<(string Command, string Id, int Exit, string Stdout)> Call(string command, string id, string node, int killAfterMs, bool kill, string url)
    {
        using var process = StartCni(url, command, id, node);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (kill)
        {
            await Task.Delay(killAfterMs);
            KillQuietly(process);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await stderr;
        return (command, id, process.ExitCode, await stdout);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own before the kill.
        }
    }
}
