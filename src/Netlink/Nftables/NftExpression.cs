using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// One expression of a rule, as the kernel holds it: its name ("meta", "cmp", "payload", ...) and
/// the attributes inside its NFTA_EXPR_DATA, kept as bytes. The factories (NftExpression.Factories.cs)
/// encode the shapes `nft` generates; a dump decodes into the same form, and <see cref="ToString"/>
/// prints the `nft --debug=netlink` line ("[ meta load iifname => reg 1 ]") that read-back compares.
/// </summary>
public sealed partial class NftExpression : IEquatable<NftExpression>
{
    private readonly byte[] _data;

    internal NftExpression(string name, byte[] data)
    {
        Name = name;
        _data = data;
    }

    public string Name { get; }

    /// <summary>The expression's attributes (the content of NFTA_EXPR_DATA) as written or dumped.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>For a counter: the packets and bytes the kernel reported (0 for one we built).</summary>
    public bool TryGetCounter(out ulong packets, out ulong bytes)
    {
        packets = bytes = 0;
        if (Name != "counter")
        {
            return false;
        }
        foreach (var attribute in new AttributeReader(_data))
        {
            if (attribute.Type == NfTables.NFTA_COUNTER_PACKETS)
            {
                packets = attribute.AsBe64();
            }
            else if (attribute.Type == NfTables.NFTA_COUNTER_BYTES)
            {
                bytes = attribute.AsBe64();
            }
        }
        return true;
    }

    public bool Equals(NftExpression? other) =>
        other is not null && Name == other.Name && _data.AsSpan().SequenceEqual(other._data);

    public override bool Equals(object? obj) => Equals(obj as NftExpression);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    /// <summary>Writes NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }.</summary>
    internal void Write(ref NetlinkWriter writer)
    {
        var element = writer.BeginNest(NfTables.NFTA_LIST_ELEM);
        writer.WriteString(NfTables.NFTA_EXPR_NAME, Name);
        var data = writer.BeginNest(NfTables.NFTA_EXPR_DATA);
        var space = writer.Reserve(_data.Length);
        _data.CopyTo(space);
        writer.EndNested(data);
        writer.EndNested(element);
    }

    /// <summary>Reads one NFTA_LIST_ELEM of a dumped rule.</summary>
    internal static NftExpression Read(NetlinkAttribute element)
    {
        string? name = null;
        byte[] data = [];
        foreach (var attribute in element.Nested())
        {
            if (attribute.Type == NfTables.NFTA_EXPR_NAME)
            {
                name = attribute.AsString();
            }
            else if (attribute.Type == NfTables.NFTA_EXPR_DATA)
            {
                data = attribute.Value.ToArray();
            }
        }
        return new NftExpression(name ?? throw new InvalidDataException("nf_tables expression without a name"), data);
    }
}
