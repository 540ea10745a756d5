using System.Collections;
using System.Runtime.CompilerServices;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// One shard of a <see cref="PrefixTable{TValue}"/>: a hash map with open addressing (linear
/// probing) in an array of key-value slots with a state byte per slot beside it, instead of a
/// <see cref="Dictionary{TKey,TValue}"/>, whose entries also carry a 4-byte hash and a 4-byte chain
/// link, with a 4-byte bucket per slot beside them, and which fills only to between half and all
/// of a doubled capacity. An IPv4 entry of the Loc-RIB (8-byte key, 16-byte value) costs 25 bytes
/// a slot here instead of 36, the agent's route table's (8-byte value) 17 instead of 28, and the
/// capacity grows by half, so slots are 53-80 % filled. Removal leaves a tombstone that a later add
/// reuses, so a key can be removed while the map is walked (as a dictionary allows) without any
/// other key moving. A slot's index is the hash times a golden-ratio constant, scaled to the
/// capacity: the hash's low bits are the prefix's own (runs of neighbours), which probed as they
/// are would pile up in one cluster.
/// </summary>
internal sealed class PrefixMap<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : struct, IEquatable<TKey>
{
    private const byte Free = 0;
    private const byte Used = 1;
    private const byte Removed = 2;

    /// <summary>At most this many slots in a thousand hold a key or a tombstone: linear probing slows sharply beyond.</summary>
    private const int MaxFillPerMille = 800;

    private Slot[] _slots = [];
    private byte[] _states = [];
    private int _count;
    private int _removed;
    private int _version;

    public int Count => _count;

    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (var (key, _) in this)
            {
                yield return key;
            }
        }
    }

    /// <summary>As <see cref="System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault"/>; the reference is valid until the next add.</summary>
    public ref TValue? GetValueRefOrAddDefault(TKey key, out bool exists)
    {
        if ((long)(_count + _removed + 1) * 1000 > (long)_states.Length * MaxFillPerMille)
        {
            Resize();
        }
        var slot = Find(key, out var free);
        if (slot >= 0)
        {
            exists = true;
            return ref _slots[slot].Value;
        }
        if (_states[free] == Removed)
        {
            _removed--;
        }
        _states[free] = Used;
        _slots[free] = new Slot { Key = key };
        _count++;
        _version++;
        exists = false;
        return ref _slots[free].Value;
    }

    /// <summary>As <see cref="System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef"/>.</summary>
    public ref TValue GetValueRefOrNullRef(TKey key)
    {
        if (_count == 0)
        {
            return ref Unsafe.NullRef<TValue>();
        }
        var slot = Find(key, out _);
        return ref slot < 0 ? ref Unsafe.NullRef<TValue>() : ref _slots[slot].Value!;
    }

    /// <summary>Removes <paramref name="key"/>, leaving a tombstone: allowed while the map is walked.</summary>
    public bool Remove(TKey key)
    {
        if (_count == 0)
        {
            return false;
        }
        var slot = Find(key, out _);
        if (slot < 0)
        {
            return false;
        }
        _states[slot] = Removed;
        _slots[slot] = default;
        _count--;
        _removed++;
        return true;
    }

    public void Add(TKey key, TValue value)
    {
        GetValueRefOrAddDefault(key, out var exists) = value;
        if (exists)
        {
            throw new ArgumentException($"{key} is already in the map", nameof(key));
        }
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        var version = _version;
        for (var slot = 0; slot < _states.Length; slot++)
        {
            if (_states[slot] == Used)
            {
                yield return new(_slots[slot].Key, _slots[slot].Value!);
                if (version != _version)
                {
                    throw new InvalidOperationException("the map was added to while it was walked");
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The slot holding <paramref name="key"/>, or -1 with <paramref name="free"/> the slot an add would take (the first tombstone on the way, else the free slot that ended the search).</summary>
    private int Find(TKey key, out int free)
    {
        var states = _states;
        var slots = _slots;
        var slot = Home(key.GetHashCode(), states.Length);
        free = -1;
        while (true)
        {
            var state = states[slot];
            if (state == Free)
            {
                if (free < 0)
                {
                    free = slot;
                }
                return -1;
            }
            if (state == Used)
            {
                if (slots[slot].Key.Equals(key))
                {
                    return slot;
                }
            }
            else if (free < 0)
            {
                free = slot;
            }
            if (++slot == states.Length)
            {
                slot = 0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(int hash, int capacity) =>
        (int)(((ulong)((uint)hash * 0x9E3779B1u) * (uint)capacity) >> 32);

    /// <summary>Grows by half (or, when tombstones fill it, rebuilds at the size the keys need).</summary>
    private void Resize()
    {
        var needed = (int)((long)(_count + 1) * 1000 / MaxFillPerMille) + 1;
        // Mostly tombstones (a withdrawal): rebuilt at the same size; else half as large again.
        var capacity = (long)(_count + 1) * 2000 <= (long)_states.Length * MaxFillPerMille
            ? Math.Max(needed, _states.Length)
            : Math.Max(8, Math.Max(needed, _states.Length + (_states.Length >> 1)));
        var (slots, states) = (_slots, _states);
        _slots = new Slot[capacity];
        _states = new byte[capacity];
        _count = 0;
        _removed = 0;
        _version++;
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] == Used)
            {
                _ = Find(slots[i].Key, out var free);
                _states[free] = Used;
                _slots[free] = slots[i];
                _count++;
            }
        }
    }

    /// <summary>A key and its value together: a lookup touches one cache line of them, not two arrays.</summary>
    private struct Slot
    {
        public TKey Key;
        public TValue? Value;
    }
}
