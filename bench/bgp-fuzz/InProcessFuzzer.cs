using System.Diagnostics;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>Runs many generated cases through <see cref="DecoderOracle"/> under every session context.</summary>
public static class InProcessFuzzer
{
    /// <summary>The four ways a session can be set up that change decoding.</summary>
    public static IReadOnlyList<BgpCodecContext> Contexts { get; } =
    [
        new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true),
        new(FourOctetAs: true, ExtendedMessage: true, IsExternal: false),
        new(FourOctetAs: false, ExtendedMessage: false, IsExternal: true),
        new(FourOctetAs: false, ExtendedMessage: true, IsExternal: false),
    ];

    /// <summary>Runs <paramref name="cases"/> cases from <paramref name="seed"/>; stops at the first finding (thrown).</summary>
    public static FuzzReport Run(int seed, long cases, Action<FuzzReport>? progress = null)
    {
        var mutator = new Mutator(seed);
        var counts = new long[Enum.GetValues<Outcome>().Length];
        var slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 0; i < cases; i++)
        {
            var input = mutator.Next();
            var context = Contexts[(int)(i % Contexts.Count)];
            var started = Stopwatch.GetTimestamp();
            counts[(int)DecoderOracle.Check(input, context)]++;
            var took = Stopwatch.GetElapsedTime(started);
            slowest = took > slowest ? took : slowest;
            if (progress is not null && (i + 1) % 1_000_000 == 0)
            {
                progress(new FuzzReport(i + 1, counts, slowest, total.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore));
            }
        }
        return new FuzzReport(cases, counts, slowest, total.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }
}
