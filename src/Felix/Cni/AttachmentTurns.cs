namespace RoutedNet.Felix.Cni;

/// <summary>
/// Who may act on the node's IPAM at once: requests for different attachments run side by side
/// (their block writes are batched by the IpamClient), requests for the same attachment take turns
/// (a queued DEL, a drain and an ADD of one handle must not overlap), and a CNI GC runs alone,
/// because it decides from the whole node's state which handles are dead.
/// </summary>
internal sealed class AttachmentTurns : IDisposable
{
    // Taken briefly by every request to count itself in, and for the whole GC: while a GC waits
    // or runs, no new request starts.
    private readonly SemaphoreSlim _entry = new(1, 1);
    private readonly Dictionary<string, Turn> _byKey = new(StringComparer.Ordinal);
    private int _running;
    private TaskCompletionSource? _idle;

    /// <summary>Waits for the key's turn (and for no GC to be running); dispose the result to end it.</summary>
    public async Task<IDisposable> ForAsync(string key, CancellationToken cancellationToken)
    {
        await _entry.WaitAsync(cancellationToken).ConfigureAwait(false);
        Turn turn;
        lock (_byKey)
        {
            _running++;
            if (!_byKey.TryGetValue(key, out turn!))
            {
                _byKey[key] = turn = new Turn();
            }
            turn.Users++;
        }
        _entry.Release();
        try
        {
            await turn.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, turn, held: false);
            throw;
        }
        return new Ending(() => Leave(key, turn, held: true));
    }

    /// <summary>Waits until no request runs and holds every new one back; dispose the result to end it.</summary>
    public async Task<IDisposable> AloneAsync(CancellationToken cancellationToken)
    {
        await _entry.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task idle;
        lock (_byKey)
        {
            idle = _running == 0 ? Task.CompletedTask : (_idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        try
        {
            await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _entry.Release();
            throw;
        }
        return new Ending(() => _entry.Release());
    }

    public void Dispose() => _entry.Dispose();

    private void Leave(string key, Turn turn, bool held)
    {
        if (held)
        {
            turn.Gate.Release();
        }
        lock (_byKey)
        {
            if (--turn.Users == 0)
            {
                _byKey.Remove(key);
                turn.Gate.Dispose();
            }
            if (--_running == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    private sealed class Turn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Ending(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}
