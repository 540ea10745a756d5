namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// A state the policy loop publishes after a commit, and callers on any thread waiting until it
/// satisfies them (a revision enforced, an endpoint programmed) instead of polling: a poll loop on
/// a small node takes CPU from the very agent it waits for. Publishing and adding a waiter share
/// one lock, so a waiter that checked the state just before a publish is in the list by then.
/// </summary>
internal sealed class Waiters<T>(T initial)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly List<(Func<T, bool> Satisfied, TaskCompletionSource Done)> _waiters = [];
    private T _current = initial;

    /// <summary>The last published state (the initial one before any).</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>
    /// True once a published state satisfies <paramref name="satisfied"/> (at once if the current
    /// one does); false when <paramref name="timeout"/> ran out first.
    /// </summary>
    public async Task<bool> WaitAsync(Func<T, bool> satisfied, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        (Func<T, bool> Satisfied, TaskCompletionSource Done) waiter = (satisfied, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            if (satisfied(_current))
            {
                return true;
            }
            _waiters.Add(waiter);
        }
        try
        {
            await waiter.Done.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Makes <paramref name="state"/> current and ends every wait it satisfies.</summary>
    public void Publish(T state)
    {
        lock (_lock)
        {
            Volatile.Write(ref _current, state);
            foreach (var waiter in _waiters)
            {
                if (waiter.Satisfied(state))
                {
                    waiter.Done.TrySetResult();
                }
            }
        }
    }
}
