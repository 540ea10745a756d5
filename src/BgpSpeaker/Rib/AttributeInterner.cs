using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Shares one <see cref="PathAttributes"/> instance among every route that carries equal
/// attributes. Reference-counted so that a peer cycling through unique attributes cannot grow the
/// table without bound: a set leaves when its last route does.
/// </summary>
internal sealed class AttributeInterner
{
    private readonly Dictionary<PathAttributes, Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Returns the shared instance equal to <paramref name="attributes"/>, counting <paramref name="references"/> new users of it.</summary>
    public PathAttributes Acquire(PathAttributes attributes, int references = 1)
    {
        if (_entries.TryGetValue(attributes, out var entry))
        {
            entry.References += references;
            return entry.Shared;
        }
        _entries.Add(attributes, new Entry(attributes) { References = references });
        return attributes;
    }

    public void Release(PathAttributes attributes)
    {
        if (_entries.TryGetValue(attributes, out var entry) && --entry.References == 0)
        {
            _entries.Remove(attributes);
        }
    }

    private sealed class Entry(PathAttributes shared)
    {
        public PathAttributes Shared { get; } = shared;

        public int References { get; set; } = 1;
    }
}
