using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// A map keyed by <see cref="BgpPrefix"/> for tables that may hold a full BGP table (the Loc-RIB,
/// the Adj-RIB-Outs, the node agent's route table). Past <see cref="SplitAt"/> prefixes it is split
/// into <see cref="Shards"/> maps by the top bits of the prefix's hash (which place runs of
/// neighbouring prefixes). One map of a million entries grows into arrays of tens of megabytes on
/// the large-object heap: while it grows the old and the new array are both alive, and the old
/// ones stay as garbage until a full collection, which a table filling at 200k routes/s outruns
/// (peak RSS 2-4× the live table). Each resize of a shard copies a two-thousandth of the table.
/// Below the split it is one map, so small tables pay nothing for the shards.
/// IPv4 prefixes are held under an 8-byte <see cref="Ipv4PrefixKey"/> in a half of their own (IPv6
/// under the prefix itself), and a shard is a <see cref="PrefixMap{TKey,TValue}"/> (open
/// addressing: no hash, chain link or bucket per entry): a full IPv4 table's Loc-RIB costs 25
/// bytes a slot and the agent's route table 17.
/// </summary>
public sealed class PrefixTable<TValue> : IEnumerable<KeyValuePair<BgpPrefix, TValue>>
{
    /// <summary>
    /// Prefixes of one family at which its single map is split: 2-3 MB of arrays by then, so the
    /// garbage of its growth is small, while an idle node's table (10k routes) stays one map
    /// instead of 2,048 nearly empty ones.
    /// </summary>
    public const int SplitAt = 65536;

    /// <summary>Maps per family once split.</summary>
    public const int Shards = 1 << PrefixShards<BgpPrefix, TValue>.ShardBits;

    private readonly PrefixShards<Ipv4PrefixKey, TValue> _ipv4 = new();
    private readonly PrefixShards<BgpPrefix, TValue> _ipv6 = new();

    public int Count => _ipv4.Count + _ipv6.Count;

    public IEnumerable<BgpPrefix> Keys
    {
        get
        {
            foreach (var shard in _ipv4.All)
            {
                foreach (var key in shard.Keys)
                {
                    yield return key.Prefix;
                }
            }
            foreach (var shard in _ipv6.All)
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
        if (key.IsIPv6)
        {
            return ref _ipv6.GetValueRefOrAddDefault(key, out exists);
        }
        return ref _ipv4.GetValueRefOrAddDefault(Ipv4PrefixKey.Of(key), out exists);
    }

    /// <summary>As <see cref="CollectionsMarshal.GetValueRefOrNullRef"/>: the value's slot, or a null reference when missing.</summary>
    public ref TValue GetValueRefOrNullRef(BgpPrefix key)
    {
        if (key.IsIPv6)
        {
            return ref _ipv6.GetValueRefOrNullRef(key);
        }
        return ref _ipv4.GetValueRefOrNullRef(Ipv4PrefixKey.Of(key));
    }

    public bool TryGetValue(BgpPrefix key, [MaybeNullWhen(false)] out TValue value)
    {
        ref var slot = ref GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref slot))
        {
            value = default;
            return false;
        }
        value = slot;
        return true;
    }

    public bool ContainsKey(BgpPrefix key) => !Unsafe.IsNullRef(ref GetValueRefOrNullRef(key));

    /// <summary>Removes <paramref name="key"/>; allowed while enumerating (the map leaves a tombstone, nothing moves).</summary>
    public bool Remove(BgpPrefix key) => key.IsIPv6 ? _ipv6.Remove(key) : _ipv4.Remove(Ipv4PrefixKey.Of(key));

    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
    }

    public IEnumerator<KeyValuePair<BgpPrefix, TValue>> GetEnumerator()
    {
        foreach (var shard in _ipv4.All)
        {
            foreach (var (key, value) in shard)
            {
                yield return new(key.Prefix, value);
            }
        }
        foreach (var shard in _ipv6.All)
        {
            foreach (var pair in shard)
            {
                yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
