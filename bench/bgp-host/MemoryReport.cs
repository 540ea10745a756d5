namespace RoutedNet.BgpHost;

/// <summary>
/// RN_MEM_REPORT=SECONDS: every so often one line on stderr with where the process's memory is:
/// the GC heap (live after the last collection, committed, fragmented) against the RSS split into
/// anonymous and file-backed pages, so a bench can tell garbage, live objects and native memory apart
/// (dotnet-counters does not attach to a NativeAOT binary).
/// </summary>
internal static class MemoryReport
{
    public static void StartIfAsked()
    {
        if (!double.TryParse(Environment.GetEnvironmentVariable("RN_MEM_REPORT"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                Console.Error.WriteLine(Line());
            }
        });
    }

    public static string Line()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var status = File.ReadAllLines("/proc/self/status");
        string Kb(string key) => status.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";
        return FormattableString.Invariant(
            $"mem: {DateTime.UtcNow:HH:mm:ss.fff} rss {Kb("VmRSS")} (anon {Kb("RssAnon")}, file {Kb("RssFile")}) hwm {Kb("VmHWM")}; gc heap {info.HeapSizeBytes >> 20} MB after #{info.Index} (gen{info.Generation}), committed {info.TotalCommittedBytes >> 20} MB, fragmented {info.FragmentedBytes >> 20} MB, now {GC.GetTotalMemory(false) >> 20} MB, allocated {GC.GetTotalAllocatedBytes() >> 20} MB, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
}
