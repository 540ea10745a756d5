using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Tests.Transport;

public sealed class ConnectPacerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Acquire_AllSlotsHeld_WaitsUntilOneIsReleased()
    {
        var pacer = new ConnectPacer(2, TimeSpan.FromSeconds(1), _time);
        var first = await pacer.AcquireAsync(CancellationToken.None);
        await pacer.AcquireAsync(CancellationToken.None);

        var third = pacer.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        first.Dispose();
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_PeerNeverAnswers_SlotFreedAfterMaxHold()
    {
        var pacer = new ConnectPacer(1, TimeSpan.FromMilliseconds(250), _time);
        await pacer.AcquireAsync(CancellationToken.None);   // an unreachable peer: never released by the caller

        var next = pacer.AcquireAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(249));
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Dispose_Twice_ReleasesOneSlotOnly()
    {
        var pacer = new ConnectPacer(1, TimeSpan.FromSeconds(1), _time);
        var lease = await pacer.AcquireAsync(CancellationToken.None);
        lease.Dispose();
        lease.Dispose();

        await pacer.AcquireAsync(CancellationToken.None);
        var third = pacer.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
    }
}
