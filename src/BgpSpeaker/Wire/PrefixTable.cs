using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// A dictionary keyed by <see cref="BgpPrefix"/> for tables that may hold a full BGP table (the
/// Loc-RIB, the node agent's route table). Past <see cref="SplitAt"/> prefixes it is split into
/// <see cref="Shards"/> dictionaries by the top bits of the prefix's hash (which place runs of
/// neighbouring prefixes, so a sorted table still walks each shard in order). One dictionary of a
/// million entries grows by doubling into arrays of tens of megabytes on the large-object heap:
/// while it grows the old and the new array are both alive, and the old ones stay as garbage until
/// a full collection, which a table filling at 200k routes/s outruns (peak RSS 2-4× the live
/// table). A shard's arrays stay under the large-object threshold up to ~1.5M prefixes of 48-byte
/// entries, and each resize copies a two-thousandth of the table. Below the split it is one
/// dictionary, so small tables pay nothing for the shards.
/// </summary>
public sealed class PrefixTable<TValue> : IEnumerable<KeyValuePair<BgpPrefix, TValue>>
{
    /// <summary>
    /// Prefixes at which the single dictionary is split: 2-3 MB of arrays by then, so the garbage of
    /// its growth is small, while an idle node's table (10k routes) stays one dictionary instead of
    /// 2,048 nearly empty ones.
    /// </summary>
    public const int SplitAt = 65536;

    private const int ShardBits = 11;

    /// <summary>Dictionaries once split.</summary>
    public const int Shards = 1 << ShardBits;

    private Dictionary<BgpPrefix, TValue>[] _shards = [[]];
    private int _shift = 32;
    private int _count;

    public int Count => _count;

    public IEnumerable<BgpPrefix> Keys
    {
        get
        {
            foreach (var shard in _shards)
            {
                foreach (var key in shard.Keys)
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>As <see cref="CollectionsMarshal.GetValueRefOrAddDefault"/>: the value's slot, added (default) when missing.</summary>
    public ref TValue? GetValueRefOrAddDefault(BgpPrefix key, out bool exists)
    {
        if (_count == SplitAt && _shards.Length == 1)
        {
            Split();
        }
        ref var value = ref CollectionsMarshal.GetValueRefOrAddDefault(ShardOf(key), key, out exists);
        if (!exists)
        {
            _count++;
        }
        return ref value;
    }

    /// <summary>As <see cref="CollectionsMarshal.GetValueRefOrNullRef"/>: the value's slot, or a null reference when missing.</summary>
    public ref TValue GetValueRefOrNullRef(BgpPrefix key) => ref CollectionsMarshal.GetValueRefOrNullRef(ShardOf(key), key);

    public bool TryGetValue(BgpPrefix key, [MaybeNullWhen(false)] out TValue value) => ShardOf(key).TryGetValue(key, out value);

    public bool ContainsKey(BgpPrefix key) => ShardOf(key).ContainsKey(key);

    /// <summary>Removes <paramref name="key"/>; allowed while enumerating, as with a dictionary.</summary>
    public bool Remove(BgpPrefix key)
    {
        if (!ShardOf(key).Remove(key))
        {
            return false;
        }
        _count--;
        return true;
    }

    public void Clear()
    {
        _shards = [[]];
        _shift = 32;
        _count = 0;
    }

    public IEnumerator<KeyValuePair<BgpPrefix, TValue>> GetEnumerator()
    {
        foreach (var shard in _shards)
        {
            foreach (var pair in shard)
            {
                yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<BgpPrefix, TValue> ShardOf(BgpPrefix key) =>
        _shards.Length == 1 ? _shards[0] : _shards[(uint)key.GetHashCode() >> _shift];

    private void Split()
    {
        var whole = _shards[0];
        var shards = new Dictionary<BgpPrefix, TValue>[Shards];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = [];
        }
        _shift = 32 - ShardBits;
        foreach (var (key, value) in whole)
        {
            shards[(uint)key.GetHashCode() >> _shift].Add(key, value);
        }
        _shards = shards;
    }
}
