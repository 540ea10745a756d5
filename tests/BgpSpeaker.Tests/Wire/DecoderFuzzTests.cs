using RoutedNet.BgpFuzz;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>A bounded, reproducible slice of bench/bgp-fuzz: fixed seed, 100k cases.</summary>
public class DecoderFuzzTests
{
    [Fact]
    public void Decoder_100kMutatedMessages_EveryCaseEndsInADesignedResult()
    {
        // Throws FuzzFindingException (with the input bytes) on any escaped exception or broken round trip.
        var report = InProcessFuzzer.Run(seed: 20261128, cases: 100_000);

        Assert.Equal(100_000, report.Cases);
        // The generator reaches every outcome, so the run exercises more than the frame checks.
        Assert.All(Enum.GetValues<Outcome>(), outcome => Assert.True(report.Count(outcome) > 100, $"{outcome}: {report}"));
    }

    [Fact]
    public void Seeds_EachDecodesCleanInSomeSessionContext()
    {
        // A seed that no context accepts would only ever test error paths.
        Assert.All(Seeds.All, seed => Assert.Contains(Outcome.Clean, InProcessFuzzer.Contexts.Select(context => DecoderOracle.Check(seed, context))));
    }
}
