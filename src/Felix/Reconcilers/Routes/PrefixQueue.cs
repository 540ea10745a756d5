using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// The prefixes waiting for the next apply of <see cref="MainRouteTable"/>, in the order queued, in
/// segments of 2,048 (48 KB each, below the large-object heap's threshold). A full table queues
/// most of a million prefixes at once: one list grows by doubling to 24 MB on the large-object heap,
/// the outgrown arrays (another 24 MB) garbage until a full collection; segments never copy, and
/// after an apply all but the first are dropped, so a table at rest holds 48 KB.
/// </summary>
internal sealed class PrefixQueue
{
    private const int SegmentBits = 11;
    private const int SegmentSize = 1 << SegmentBits;

    private readonly List<BgpPrefix[]> _segments = [];
    private int _count;

    public int Count => _count;

    public BgpPrefix this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _segments[index >> SegmentBits][index & (SegmentSize - 1)];
        }
    }

    public void Add(BgpPrefix prefix)
    {
        var segment = _count >> SegmentBits;
        if (segment == _segments.Count)
        {
            _segments.Add(new BgpPrefix[SegmentSize]);
        }
        _segments[segment][_count & (SegmentSize - 1)] = prefix;
        _count++;
    }

    /// <summary>Empties the queue, keeping one segment for the small batches that follow.</summary>
    public void Clear()
    {
        _count = 0;
        if (_segments.Count > 1)
        {
            _segments.RemoveRange(1, _segments.Count - 1);
        }
    }
}
