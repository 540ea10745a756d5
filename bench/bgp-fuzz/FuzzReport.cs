namespace RoutedNet.BgpFuzz;

/// <summary>What a run did: cases per outcome, the slowest single case, and allocation.</summary>
public sealed record FuzzReport(long Cases, long[] CountsByOutcome, TimeSpan SlowestCase, TimeSpan Elapsed, long AllocatedBytes)
{
    public long Count(Outcome outcome) => CountsByOutcome[(int)outcome];

    public override string ToString() =>
        $"{Cases:N0} cases in {Elapsed.TotalSeconds:F1} s ({Cases / Math.Max(Elapsed.TotalSeconds, 0.001):N0}/s), slowest case {SlowestCase.TotalMilliseconds:F2} ms, "
        + $"{AllocatedBytes / Math.Max(Cases, 1):N0} B allocated per case; "
        + string.Join(", ", Enum.GetValues<Outcome>().Select(o => $"{o} {Count(o):N0}"));
}
