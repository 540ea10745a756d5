using System.Runtime.CompilerServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// One family's half of a <see cref="PrefixTable{TValue}"/>: one <see cref="PrefixMap{TKey,TValue}"/> up to
/// <see cref="PrefixTable{TValue}.SplitAt"/> keys, then <see cref="PrefixTable{TValue}.Shards"/> of
/// them chosen by the top bits of the key's hash (the prefix's, which keeps neighbours together).
/// </summary>
internal sealed class PrefixShards<TKey, TValue>
    where TKey : struct, IEquatable<TKey>
{
    public const int ShardBits = 11;

    private PrefixMap<TKey, TValue>[] _shards = [[]];
    private int _shift = 32;
    private int _count;

    public int Count => _count;

    public PrefixMap<TKey, TValue>[] All => _shards;

    public ref TValue? GetValueRefOrAddDefault(TKey key, out bool exists)
    {
        if (_count == PrefixTable<TValue>.SplitAt && _shards.Length == 1)
        {
            Split();
        }
        ref var value = ref ShardOf(key).GetValueRefOrAddDefault(key, out exists);
        if (!exists)
        {
            _count++;
        }
        return ref value;
    }

    public ref TValue GetValueRefOrNullRef(TKey key) => ref ShardOf(key).GetValueRefOrNullRef(key);

    public bool Remove(TKey key)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PrefixMap<TKey, TValue> ShardOf(TKey key) =>
        _shards.Length == 1 ? _shards[0] : _shards[(uint)key.GetHashCode() >> _shift];

    private void Split()
    {
        var whole = _shards[0];
        var shards = new PrefixMap<TKey, TValue>[1 << ShardBits];
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
