namespace RoutedNet.Netlink;

/// <summary>
/// The per-message outcome of a batch: entry i of the batch succeeded when <see cref="ErrnoAt"/>(i)
/// is <see cref="Errno.None"/>; otherwise <see cref="Failures"/> holds its exception (with the
/// operation text and the kernel's message).
/// </summary>
public sealed class BatchResult
{
    private readonly Errno[] _errnos;

    internal BatchResult(Errno[] errnos, IReadOnlyList<(int Index, NetlinkException Error)> failures)
    {
        _errnos = errnos;
        Failures = failures;
    }

    public int Count => _errnos.Length;

    public bool AllSucceeded => Failures.Count == 0;

    /// <summary>The failed entries, by batch index, in batch order.</summary>
    public IReadOnlyList<(int Index, NetlinkException Error)> Failures { get; }

    public Errno ErrnoAt(int index) => _errnos[index];

    /// <summary>Throws the first failure (an <see cref="AggregateException"/> when there are several).</summary>
    public void ThrowIfAnyFailed()
    {
        if (Failures.Count == 1)
        {
            throw Failures[0].Error;
        }
        if (Failures.Count > 1)
        {
            throw new AggregateException($"{Failures.Count} of {Count} batched changes failed", Failures.Select(f => f.Error));
        }
    }
}
