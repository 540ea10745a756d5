using System.Text;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// One message of a batch: what it does, on what, and where it starts in the batch buffer. The
/// text ("add element inet routednet pods { 0a000001 } (+2 more)") is built only when it failed.
/// </summary>
internal readonly record struct NftOperation(NftOperationKind Kind, string Table, string Name, string? Comment = null)
{
    public int Offset { get; init; }

    public string Describe(ReadOnlySpan<byte> message)
    {
        var subject = $"inet {Table}";
        return Kind switch
        {
            NftOperationKind.AddTable => $"add table {subject}",
            NftOperationKind.DeleteTable => $"delete table {subject}",
            NftOperationKind.AddChain => $"add chain {subject} {Name}",
            NftOperationKind.DeleteChain => $"delete chain {subject} {Name}",
            NftOperationKind.FlushChain => $"flush chain {subject} {Name}",
            NftOperationKind.AddRule => $"add rule {subject} {Name}" + (Comment is null ? "" : $" comment \"{Comment}\""),
            NftOperationKind.AddSet => $"add set {subject} {Name}",
            NftOperationKind.DeleteSet => $"delete set {subject} {Name}",
            NftOperationKind.AddElement => $"add element {subject} {Name} {Elements(message)}",
            _ => $"delete element {subject} {Name} {Elements(message)}",
        };
    }

    // "{ 0a000001 }" for the first element's key (hex: the key's type is the set's, unknown here), "(+N more)".
    private static string Elements(ReadOnlySpan<byte> message)
    {
        var count = 0;
        string? first = null;
        foreach (var attribute in new AttributeReader(message[(NetlinkProtocol.NlMsgHdrSize + 4)..]))
        {
            if (attribute.Type != NfTables.NFTA_SET_ELEM_LIST_ELEMENTS)
            {
                continue;
            }
            foreach (var element in attribute.Nested())
            {
                if (count++ > 0)
                {
                    continue;
                }
                foreach (var field in element.Nested())
                {
                    if (field.Type == NfTables.NFTA_SET_ELEM_KEY)
                    {
                        first = Convert.ToHexStringLower(field.DataValue());
                    }
                }
            }
        }
        var text = new StringBuilder("{ ").Append(first).Append(" }");
        if (count > 1)
        {
            text.Append(" (+").Append(count - 1).Append(" more)");
        }
        return text.ToString();
    }
}
