namespace RoutedNet.BgpFuzz;

/// <summary>Endings counted by kind and code, and the process's memory sampled as the run goes.</summary>
public sealed class SocketFuzzReport
{
    private readonly Dictionary<Ending, long> _endings = [];
    private readonly List<(long Managed, long WorkingSet)> _memory = [];

    public TimeSpan Elapsed { get; set; }

    public long Cases => _endings.Values.Sum();

    public IReadOnlyList<(long Managed, long WorkingSet)> Memory => _memory;

    public void Count(Ending ending) => _endings[ending] = _endings.GetValueOrDefault(ending) + 1;

    /// <summary>Managed heap after a full collection, and the whole process's working set.</summary>
    public void SampleMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _memory.Add((GC.GetTotalMemory(true), Environment.WorkingSet));
    }

    public override string ToString()
    {
        var endings = string.Join(", ", _endings.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}"));
        var memory = _memory.Count == 0 ? "" : $"; managed heap {_memory[0].Managed / 1024:N0} → {_memory[^1].Managed / 1024:N0} KiB, working set {_memory[0].WorkingSet / 1048576:N0} → {_memory[^1].WorkingSet / 1048576:N0} MiB";
        return $"{Cases:N0} cases{(Elapsed > TimeSpan.Zero ? $" in {Elapsed.TotalSeconds:F0} s" : "")}: {endings}{memory}";
    }
}
