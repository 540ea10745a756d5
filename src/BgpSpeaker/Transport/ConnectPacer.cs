namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>
/// Bounds how many of a speaker's outgoing connections are waiting for the peer to answer at once.
/// Routers listen with small backlogs (BIRD 2 uses 8): 100 sessions connecting in one burst overflow
/// the peer's accept queue, and every dropped SYN waits for the 1 s retransmission. A lease is held
/// from before the SYN until the peer's first message (it has accepted), a failure, or
/// <paramref name="maxHold"/>, so an unreachable peer never holds back the others for long.
/// </summary>
internal sealed class ConnectPacer(int slots, TimeSpan maxHold, TimeProvider time)
{
    /// <summary>Four in flight keeps well inside an 8-deep backlog and costs one round trip per four peers.</summary>
    public const int DefaultSlots = 4;

    public static readonly TimeSpan DefaultMaxHold = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _slots = new(slots, slots);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var lease = new Lease(_slots);
        lease.Expiry = time.CreateTimer(static state => ((Lease)state!).Dispose(), lease, maxHold, Timeout.InfiniteTimeSpan);
        return lease;
    }

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public ITimer? Expiry { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Expiry?.Dispose();
                slots.Release();
            }
        }
    }
}
