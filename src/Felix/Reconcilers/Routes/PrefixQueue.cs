using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// The prefixes waiting for the next apply of <see cref="MainRouteTable"/>: IPv4 first, then IPv6,
/// each in the order queued. A full table queues most of a million prefixes at once: one list of
/// <see cref="BgpPrefix"/> grew by doubling to 24 MB on the large-object heap, its outgrown arrays
/// (another 24 MB) garbage until a full collection. Here an IPv4 prefix is 8 bytes, the segments
/// (32-48 KB) stay below the large-object threshold and never copy, and after an apply all but the
/// first of each family are dropped.
/// </summary>
internal sealed class PrefixQueue
{
    private readonly Segments<ulong> _ipv4 = new(4096);
    private readonly Segments<BgpPrefix> _ipv6 = new(2048);

    public int Count => _ipv4.Count + _ipv6.Count;

    public BgpPrefix this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            if (index < _ipv4.Count)
            {
                var packed = _ipv4[index];
                return BgpPrefix.FromIpv4((uint)(packed >> 8), (int)(packed & 0xff));
            }
            return _ipv6[index - _ipv4.Count];
        }
    }

    public void Add(BgpPrefix prefix)
    {
        if (prefix.IsIPv6)
        {
            _ipv6.Add(prefix);
        }
        else
        {
            _ipv4.Add(((ulong)prefix.Ipv4Address << 8) | (uint)prefix.Length);
        }
    }

    /// <summary>Empties the queue, keeping one segment per family for the small batches that follow.</summary>
    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
    }

    private sealed class Segments<T>(int size)
    {
        private readonly List<T[]> _segments = [];

        public int Count { get; private set; }

        public T this[int index] => _segments[index / size][index % size];

        public void Add(T item)
        {
            var segment = Count / size;
            if (segment == _segments.Count)
            {
                _segments.Add(new T[size]);
            }
            _segments[segment][Count % size] = item;
            Count++;
        }

        public void Clear()
        {
            Count = 0;
            if (_segments.Count > 1)
            {
                _segments.RemoveRange(1, _segments.Count - 1);
            }
        }
    }
}
