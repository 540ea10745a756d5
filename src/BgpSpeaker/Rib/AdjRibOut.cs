using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// What we have advertised to one peer, so that only differences are sent and a withdrawal is sent
/// once. A family with ADD-PATH send (RFC 7911) keeps every path advertised for a prefix, each under
/// its Path Identifier; the others keep the one path per prefix.
/// </summary>
internal sealed class AdjRibOut
{
    /// <summary>A <see cref="PrefixTable{TValue}"/>: a peer that receives a full table holds an entry per route.</summary>
    private readonly PrefixTable<PathAttributes> _advertised = new();

    /// <summary>ADD-PATH families: per prefix, the identifiers advertised and their attributes (a handful each).</summary>
    private readonly Dictionary<RibPrefix, List<(uint PathId, PathAttributes Attributes)>> _paths = [];
    private int _pathCount;

    /// <summary>Paths advertised: one per prefix, plus every extra path of an ADD-PATH family.</summary>
    public int Count => _advertised.Count + _pathCount;

    public IEnumerable<KeyValuePair<RibPrefix, PathAttributes>> Advertised => _advertised;

    /// <summary>Prefixes with paths advertised under Path Identifiers.</summary>
    public IEnumerable<RibPrefix> PathPrefixes => _paths.Keys;

    /// <summary>Records <paramref name="attributes"/> as advertised; false when exactly these already were (nothing to send).</summary>
    public bool Replace(RibPrefix prefix, PathAttributes attributes)
    {
        ref var slot = ref _advertised.GetValueRefOrAddDefault(prefix, out var existed);
        if (existed && slot!.Equals(attributes))
        {
            return false;
        }
        slot = attributes;
        return true;
    }

    public bool Remove(RibPrefix prefix) => _advertised.Remove(prefix);

    /// <summary>
    /// Makes <paramref name="desired"/> the paths advertised for <paramref name="prefix"/> (ADD-PATH):
    /// adds to <paramref name="announce"/> each path that is new or changed and to
    /// <paramref name="withdraw"/> each identifier no longer wanted.
    /// </summary>
    public void ReplacePaths(RibPrefix prefix, List<(uint PathId, PathAttributes Attributes)> desired, List<(uint PathId, PathAttributes Attributes)> announce, List<uint> withdraw)
    {
        _paths.TryGetValue(prefix, out var current);
        foreach (var path in desired)
        {
            var index = current?.FindIndex(c => c.PathId == path.PathId) ?? -1;
            if (index < 0 || !current![index].Attributes.Equals(path.Attributes))
            {
                announce.Add(path);
            }
        }
        if (current is not null)
        {
            foreach (var (pathId, _) in current)
            {
                if (!desired.Exists(d => d.PathId == pathId))
                {
                    withdraw.Add(pathId);
                }
            }
            _pathCount -= current.Count;
        }
        if (desired.Count == 0)
        {
            _paths.Remove(prefix);
            return;
        }
        _paths[prefix] = [.. desired];
        _pathCount += desired.Count;
    }

    /// <summary>Forgets what was advertised in one address family, so that all of it is sent again (a route refresh).</summary>
    public void Forget(bool isIPv6)
    {
        foreach (var prefix in _advertised.Keys.Where(p => p.IsIPv6 == isIPv6).ToList())
        {
            _advertised.Remove(prefix);
        }
        foreach (var prefix in _paths.Keys.Where(p => p.IsIPv6 == isIPv6).ToList())
        {
            _pathCount -= _paths[prefix].Count;
            _paths.Remove(prefix);
        }
    }

    public void Clear()
    {
        _advertised.Clear();
        _paths.Clear();
        _pathCount = 0;
    }
}
