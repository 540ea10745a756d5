namespace RoutedNet.Common;

/// <summary>
/// Capped exponential backoff, the one every retry loop of the agent and the speaker uses (a failed
/// apply, a datastore watch or registration, a BGP session that keeps failing, the GoBGP event
/// stream): the first wait is <c>initial</c>, each further failure doubles it up to <c>max</c>, and
/// a success starts again from <c>initial</c>. Not thread-safe: each loop owns its instance.
/// </summary>
/// <remarks>
/// Why one helper: the six hand-written copies it replaced differed in small ways (one doubled
/// before the first wait, one never reset, one did not wait at all), so the same failure was retried
/// at different rates depending on where it happened. No jitter: the loops that use it retry against
/// one local resource (the kernel, the datastore, one peer), where synchronised retries cannot pile
/// up, and tests can then state the exact sequence.
/// </remarks>
public sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        _initial = initial;
        _max = max;
        _next = initial;
        Current = initial;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>The wait handed out last (the initial wait before any failure).</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>Records a failure and returns how long to wait before the next try.</summary>
    public TimeSpan Next()
    {
        Failures++;
        Current = _next;
        // Compared before doubling, so that a cap near TimeSpan.MaxValue cannot overflow.
        _next = _next.Ticks > _max.Ticks / 2 ? _max : TimeSpan.FromTicks(_next.Ticks * 2);
        return Current;
    }

    /// <summary>Records a failure and waits <see cref="Next"/> on <paramref name="time"/>.</summary>
    public Task DelayAsync(TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(Next(), time, cancellationToken);

    /// <summary>A success: the next failure waits the initial time again.</summary>
    public void Reset()
    {
        Failures = 0;
        _next = _initial;
        Current = _initial;
    }
}
