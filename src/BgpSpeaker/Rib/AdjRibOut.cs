using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>What we have advertised to one peer, so that only differences are sent and a withdrawal is sent once.</summary>
internal sealed class AdjRibOut
{
    private readonly Dictionary<RibPrefix, PathAttributes> _advertised = [];

    public int Count => _advertised.Count;

    public IEnumerable<KeyValuePair<RibPrefix, PathAttributes>> Advertised => _advertised;

    public PathAttributes? Get(RibPrefix prefix) => _advertised.GetValueOrDefault(prefix);

    public void Set(RibPrefix prefix, PathAttributes attributes) => _advertised[prefix] = attributes;

    public bool Remove(RibPrefix prefix) => _advertised.Remove(prefix);

    public void Clear() => _advertised.Clear();
}
