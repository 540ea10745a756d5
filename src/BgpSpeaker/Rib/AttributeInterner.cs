namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Shares one <see cref="RouteAttributes"/> instance among every route that carries equal
/// attributes. Reference-counted so that a peer cycling through unique attributes cannot grow the
/// table without bound: a set leaves when its last route does.
/// </summary>
internal sealed class AttributeInterner
{
    private readonly Dictionary<RouteAttributes, Entry> _entries = [];

    public int Count => _entries.Count;

    public RouteAttributes Acquire(RouteAttributes attributes)
    {
        if (_entries.TryGetValue(attributes, out var entry))
        {
            entry.References++;
            return entry.Shared;
        }
        _entries.Add(attributes, new Entry(attributes));
        return attributes;
    }

    public void Release(RouteAttributes attributes)
    {
        if (_entries.TryGetValue(attributes, out var entry) && --entry.References == 0)
        {
            _entries.Remove(attributes);
        }
    }

    private sealed class Entry(RouteAttributes shared)
    {
        public RouteAttributes Shared { get; } = shared;

        public int References { get; set; } = 1;
    }
}
