using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>What we have advertised to one peer, so that only differences are sent and a withdrawal is sent once.</summary>
internal sealed class AdjRibOut
{
    private readonly Dictionary<RibPrefix, PathAttributes> _advertised = [];

    public int Count => _advertised.Count;

    public IEnumerable<KeyValuePair<RibPrefix, PathAttributes>> Advertised => _advertised;

    /// <summary>Records <paramref name="attributes"/> as advertised; false when exactly these already were (nothing to send).</summary>
    public bool Replace(RibPrefix prefix, PathAttributes attributes)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_advertised, prefix, out var existed);
        if (existed && slot!.Equals(attributes))
        {
            return false;
        }
        slot = attributes;
        return true;
    }

    public bool Remove(RibPrefix prefix) => _advertised.Remove(prefix);

    public void Clear() => _advertised.Clear();
}
