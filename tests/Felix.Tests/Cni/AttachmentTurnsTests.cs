using RoutedNet.Felix.Cni;

namespace RoutedNet.Felix.Tests.Cni;

/// <summary>
/// The agent's CNI requests: different attachments at once (their IPAM writes batch), one
/// attachment's requests one after another (a queued DEL before the ADD that reuses its sandbox),
/// and a GC alone.
/// </summary>
public sealed class AttachmentTurnsTests
{
    [Fact]
    public async Task DifferentAttachments_RunAtOnce_TheSameOne_Waits()
    {
        using var turns = new AttachmentTurns();
        var a = await turns.ForAsync("a", CancellationToken.None);
        var b = await turns.ForAsync("b", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var secondA = turns.ForAsync("a", CancellationToken.None);
        await Task.Delay(50);
        Assert.False(secondA.IsCompleted);

        a.Dispose();
        (await secondA.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task Alone_WaitsForRunningRequests_AndHoldsNewOnesBack()
    {
        using var turns = new AttachmentTurns();
        var running = await turns.ForAsync("a", CancellationToken.None);

        var gc = turns.AloneAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(gc.IsCompleted);
        var later = turns.ForAsync("b", CancellationToken.None);

        running.Dispose();
        var alone = await gc.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.False(later.IsCompleted);

        alone.Dispose();
        (await later.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task CancelledWhileWaiting_LeavesNoTurnBehind()
    {
        using var turns = new AttachmentTurns();
        var a = await turns.ForAsync("a", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = turns.ForAsync("a", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        a.Dispose();

        // Nothing counts as running: a GC gets its turn at once, and then "a" again.
        (await turns.AloneAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await turns.ForAsync("a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
