namespace RoutedNet.PolicyBench;

/// <summary>p50 / p99 / max per kind of change and over all of them.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<ChangeSample> samples)
    {
        Console.WriteLine("change (samples) | write ms p50 | write returned -> enforced ms p50 / p99 / max | agent inputs -> committed ms p50 / p99 / max | nft -f same delta ms p50 / p99 / max | delta lines p50");
        foreach (var group in samples.GroupBy(s => s.Kind).Append(samples.GroupBy(_ => "all").Single()))
        {
            var list = group.ToList();
            var nft = list.Where(s => s.NftMs is not null).Select(s => s.NftMs!.Value).ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"{group.Key} ({list.Count}) | {P(list.Select(s => s.WriteMs), 0.5):F1} | {Three(list.Select(s => s.EnforcedMs))} | {Three(list.Select(s => s.AgentProgrammingMs))} | {(nft.Count == 0 ? "-" : Three(nft))} | {P(list.Select(s => (double)s.DeltaLines), 0.5):F0}"));
        }
        var unchanged = samples.Count(s => s.NftMs is null);
        if (unchanged > 0)
        {
            Console.WriteLine($"{unchanged} change(s) left the kernel table as it was (no nft reference for them)");
        }
    }

    private static string Three(IEnumerable<double> values)
    {
        var list = values.ToList();
        return FormattableString.Invariant($"{P(list, 0.5):F1} / {P(list, 0.99):F1} / {list.Max():F1}");
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double P(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
