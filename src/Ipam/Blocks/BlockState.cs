using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;

namespace RoutedNet.Ipam.Blocks;

/// <summary>
/// A working copy of one block's allocation state: read from an <see cref="IPAMBlock"/>, changed
/// in memory, written back with CAS. Free ordinals are kept in hand-out order: a released ordinal
/// goes to the back, so the longest-free address is reused first; an ordinal released less than
/// the cool-down ago is skipped.
/// </summary>
internal sealed class BlockState
{
    private readonly int?[] _allocations;
    private readonly List<int> _unallocated;
    private readonly List<AllocationAttribute> _attributes;
    private readonly List<ReleasedOrdinal> _released;

    private BlockState(IPNetwork cidr, int?[] allocations, List<int> unallocated, List<AllocationAttribute> attributes, List<ReleasedOrdinal> released)
    {
        Cidr = cidr;
        _allocations = allocations;
        _unallocated = unallocated;
        _attributes = attributes;
        _released = released;
    }

    public IPNetwork Cidr { get; }

    public int Size => _allocations.Length;

    public int FreeCount => _unallocated.Count;

    public int InUse => _allocations.Length - _unallocated.Count;

    /// <summary>An empty block: every ordinal free, in address order.</summary>
    public static BlockState Empty(IPNetwork cidr)
    {
        var size = (int)IpMath.Size(cidr.BaseAddress.AddressFamily, cidr.PrefixLength);
        var unallocated = new List<int>(size);
        for (var i = 0; i < size; i++)
        {
            unallocated.Add(i);
        }
        return new BlockState(cidr, new int?[size], unallocated, [], []);
    }

    public static BlockState From(IPAMBlockSpec spec) =>
        new(
            IPNetwork.Parse(spec.Cidr),
            [.. spec.Allocations],
            [.. spec.Unallocated],
            [.. spec.Attributes],
            [.. spec.Released]);

    /// <summary>The spec to write back, with attributes no allocation uses any more dropped.</summary>
    public IPAMBlockSpec ToSpec(IPAMBlockSpec original)
    {
        CompactAttributes();
        return original with
        {
            Cidr = Cidr.ToString(),
            Allocations = _allocations,
            Unallocated = _unallocated.ToArray(),
            Attributes = _attributes.ToArray(),
            Released = _released.ToArray(),
        };
    }

    public AllocationAttribute? AttributeAt(int ordinal) =>
        _allocations[ordinal] is { } index && index >= 0 && index < _attributes.Count ? _attributes[index] : null;

    public bool IsAllocated(int ordinal) => _allocations[ordinal] is not null;

    /// <summary>
    /// Takes up to <paramref name="count"/> free ordinals for <paramref name="attribute"/>, skipping
    /// reserved and cooling-down ones, and appends them to <paramref name="taken"/>. Returns how many.
    /// </summary>
    public int Allocate(int count, AllocationAttribute attribute, ReservedOrdinals reserved, DateTimeOffset now, TimeSpan coolDown, List<int> taken)
    {
        PruneReleased(now, coolDown);
        var got = 0;
        int? attributeIndex = null;
        for (var i = 0; i < _unallocated.Count && got < count;)
        {
            var ordinal = _unallocated[i];
            if (reserved.Contains(ordinal) || IsCoolingDown(ordinal))
            {
                i++;
                continue;
            }
            attributeIndex ??= AddAttribute(attribute);
            _allocations[ordinal] = attributeIndex;
            _unallocated.RemoveAt(i);
            taken.Add(ordinal);
            got++;
        }
        return got;
    }

    /// <summary>Takes one specific ordinal; false when it is already allocated.</summary>
    public bool TryAssign(int ordinal, AllocationAttribute attribute)
    {
        if (_allocations[ordinal] is not null)
        {
            return false;
        }
        _allocations[ordinal] = AddAttribute(attribute);
        _unallocated.Remove(ordinal);
        _released.RemoveAll(r => r.Ordinal == ordinal);
        return true;
    }

    /// <summary>Frees every ordinal held by <paramref name="handleId"/>; returns how many.</summary>
    public int ReleaseHandle(string handleId, DateTimeOffset now, TimeSpan coolDown)
    {
        var released = 0;
        for (var ordinal = 0; ordinal < _allocations.Length; ordinal++)
        {
            if (AttributeAt(ordinal)?.HandleId == handleId)
            {
                Free(ordinal, now, coolDown);
                released++;
            }
        }
        return released;
    }

    /// <summary>Frees one ordinal; returns the handle that held it, or null when it was free.</summary>
    public string? Release(int ordinal, DateTimeOffset now, TimeSpan coolDown)
    {
        if (_allocations[ordinal] is null)
        {
            return null;
        }
        var handle = AttributeAt(ordinal)?.HandleId ?? "";
        Free(ordinal, now, coolDown);
        return handle;
    }

    private void Free(int ordinal, DateTimeOffset now, TimeSpan coolDown)
    {
        _allocations[ordinal] = null;
        _unallocated.Add(ordinal);
        if (coolDown > TimeSpan.Zero)
        {
            _released.Add(new ReleasedOrdinal { Ordinal = ordinal, ReleasedAt = now });
        }
    }

    private bool IsCoolingDown(int ordinal)
    {
        foreach (var r in _released)
        {
            if (r.Ordinal == ordinal)
            {
                return true;
            }
        }
        return false;
    }

    private void PruneReleased(DateTimeOffset now, TimeSpan coolDown) =>
        _released.RemoveAll(r => now - r.ReleasedAt >= coolDown);

    private int AddAttribute(AllocationAttribute attribute)
    {
        // Allocations of one handle in one block share an attribute entry (as a dual-stack pod's do across blocks).
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (SameAttribute(_attributes[i], attribute))
            {
                return i;
            }
        }
        _attributes.Add(attribute);
        return _attributes.Count - 1;
    }

    // Records compare dictionaries by reference; attributes read back from the store need content equality.
    private static bool SameAttribute(AllocationAttribute a, AllocationAttribute b)
    {
        if (a.HandleId != b.HandleId || (a.Secondary?.Count ?? 0) != (b.Secondary?.Count ?? 0))
        {
            return false;
        }
        foreach (var (key, value) in a.Secondary ?? EmptySecondary)
        {
            if (b.Secondary is null || !b.Secondary.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }
        return true;
    }

    private static readonly Dictionary<string, string> EmptySecondary = [];

    private void CompactAttributes()
    {
        Span<int> remap = _attributes.Count <= 256 ? stackalloc int[_attributes.Count] : new int[_attributes.Count];
        remap.Fill(-1);
        foreach (var index in _allocations)
        {
            if (index is { } i && i >= 0 && i < remap.Length)
            {
                remap[i] = 0;
            }
        }
        var next = 0;
        for (var i = 0; i < remap.Length; i++)
        {
            if (remap[i] == 0)
            {
                _attributes[next] = _attributes[i];
                remap[i] = next++;
            }
        }
        if (next == _attributes.Count)
        {
            return;
        }
        _attributes.RemoveRange(next, _attributes.Count - next);
        for (var ordinal = 0; ordinal < _allocations.Length; ordinal++)
        {
            if (_allocations[ordinal] is { } i && i >= 0 && i < remap.Length)
            {
                _allocations[ordinal] = remap[i];
            }
        }
    }
}
