using Microsoft.Extensions.Time.Testing;
using RoutedNet.Common;

namespace RoutedNet.Common.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan Ms100 = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Next_RepeatedFailures_DoublesFromInitialUpToCap()
    {
        var backoff = new Backoff(Ms100, TimeSpan.FromMilliseconds(700));

        var waits = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToList();

        Assert.Equal([100, 200, 400, 700, 700, 700], waits);
        Assert.Equal(6, backoff.Failures);
    }

    [Fact]
    public void Reset_AfterFailures_StartsAgainFromInitial()
    {
        var backoff = new Backoff(Ms100, TimeSpan.FromSeconds(30));
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal(Ms100, backoff.Current);
        Assert.Equal(Ms100, backoff.Next());
    }

    [Fact]
    public void Current_BeforeAndAfterFailures_IsTheLastWaitHandedOut()
    {
        var backoff = new Backoff(Ms100, TimeSpan.FromSeconds(30));
        Assert.Equal(Ms100, backoff.Current);

        backoff.Next();
        backoff.Next();

        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Current);
    }

    [Fact]
    public void Next_CapNearMaxValue_NeverOverflows()
    {
        var backoff = new Backoff(TimeSpan.FromDays(1), TimeSpan.MaxValue);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(backoff.Next() > TimeSpan.Zero);
        }
        Assert.Equal(TimeSpan.MaxValue, backoff.Next());
    }

    [Fact]
    public void Next_ZeroInitial_StaysZero()
    {
        var backoff = new Backoff(TimeSpan.Zero, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, backoff.Next());
        Assert.Equal(TimeSpan.Zero, backoff.Next());
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(10, 5)]
    public void Constructor_NegativeInitialOrCapBelowInitial_Throws(int initialMs, int maxMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(maxMs)));

    [Fact]
    public async Task DelayAsync_OnTheGivenClock_WaitsTheNextStep()
    {
        var time = new FakeTimeProvider();
        var backoff = new Backoff(Ms100, TimeSpan.FromSeconds(30));
        backoff.Next();

        var delay = backoff.DelayAsync(time, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await delay;
        Assert.Equal(2, backoff.Failures);
    }
}
