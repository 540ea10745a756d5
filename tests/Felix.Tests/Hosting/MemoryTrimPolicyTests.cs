using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Tests.Hosting;

public sealed class MemoryTrimPolicyTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void Check_BurstThenQuietInterval_TrimsOnce()
    {
        var policy = new MemoryTrimPolicy();

        Assert.False(policy.Check(200 * MiB)); // the burst: 200 MiB in one interval
        Assert.True(policy.Check(200 * MiB + 1000)); // then quiet
        Assert.False(policy.Check(200 * MiB + 2000)); // still quiet, nothing new to return
    }

    [Fact]
    public void Check_WhileBusy_NeverTrims()
    {
        var policy = new MemoryTrimPolicy();

        for (var i = 1; i <= 20; i++)
        {
            Assert.False(policy.Check(i * 8 * MiB));
        }
    }

    [Fact]
    public void Check_IdleAllocationsAddUpToABurst_TrimsWhenTheyDo()
    {
        var policy = new MemoryTrimPolicy();
        var allocated = 0L;
        var trims = 0;

        // An idle agent's small allocations (half a MiB per interval) count as quiet; once they
        // add up to a burst's worth, one trim returns them.
        for (var i = 0; i < 100; i++)
        {
            allocated += MiB / 2;
            trims += policy.Check(allocated) ? 1 : 0;
        }

        Assert.Equal(50 * MiB / MemoryTrimPolicy.BurstBytes, trims);
    }
}
