using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// Numbers the distinct <see cref="RouteTarget"/>s of the route table, so that the per-prefix state
/// holds ints: a full BGP table has a million routes but only as many targets as next-hop sets, and
/// a million-entry dictionary whose entries hold no references is one the GC never scans and whose
/// writes mark no cards. Number 0 is "no route". Numbers are never freed one by one; the table
/// starts afresh at every resync, which numbers what is still in use again.
/// </summary>
internal sealed class TargetNumbers
{
    private readonly List<RouteTarget?> _targets = [null];
    private readonly Dictionary<RouteTarget, int> _numbers = [];
    private RouteTarget? _last;
    private int _lastNumber;

    /// <summary>The target of a number; null for 0.</summary>
    public RouteTarget? this[int number] => _targets[number];

    /// <summary>The number of an equal target, given one on first sight; 0 for null.</summary>
    public int NumberOf(RouteTarget? target)
    {
        if (target is null)
        {
            return 0;
        }
        // Routes of one BGP update share one target instance and come in a run.
        if (ReferenceEquals(target, _last))
        {
            return _lastNumber;
        }
        if (!_numbers.TryGetValue(target, out var number))
        {
            number = _targets.Count;
            _targets.Add(target);
            _numbers.Add(target, number);
        }
        _last = target;
        _lastNumber = number;
        return number;
    }
}
