using System.Text;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// NFT_MSG_NEWRULE (appended), DELRULE with only table and chain (flush the chain), GETRULE dumps.
/// A comment travels in NFTA_RULE_USERDATA as nft's TLV { type 0 (comment), length, text NUL }.
/// </summary>
internal static class NftRuleCodec
{
    private const byte CommentTlv = 0;
    public const int MaxCommentLength = 128;

    public static int MaxLength(NftRule rule)
    {
        var length = 128 + Encoding.UTF8.GetByteCount(rule.Table) + Encoding.UTF8.GetByteCount(rule.Chain) + (rule.Comment?.Length * 3 ?? 0);
        foreach (var expression in rule.Expressions)
        {
            length += 32 + expression.Name.Length + expression.Data.Length;
        }
        return length;
    }

    public static void WriteAdd(ref NetlinkWriter writer, NftRule rule, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_NEWRULE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_CREATE | NfTables.NLM_F_APPEND | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_RULE_TABLE, rule.Table);
        writer.WriteString(NfTables.NFTA_RULE_CHAIN, rule.Chain);
        var list = writer.BeginNest(NfTables.NFTA_RULE_EXPRESSIONS);
        foreach (var expression in rule.Expressions)
        {
            expression.Write(ref writer);
        }
        writer.EndNested(list);
        if (rule.Comment is { } comment)
        {
            var text = Encoding.UTF8.GetBytes(comment);
            if (text.Length + 1 > MaxCommentLength)
            {
                throw new ArgumentException($"rule comment of {text.Length} bytes is longer than {MaxCommentLength - 1}", nameof(rule));
            }
            Span<byte> userData = stackalloc byte[text.Length + 3];
            userData[0] = CommentTlv;
            userData[1] = (byte)(text.Length + 1);
            text.CopyTo(userData[2..]);
            userData[^1] = 0;
            writer.WriteAttribute(NfTables.NFTA_RULE_USERDATA, userData);
        }
        writer.EndMessage(start);
    }

    /// <summary>DELRULE naming only table and chain: deletes every rule of the chain (`nft flush chain`).</summary>
    public static void WriteFlush(ref NetlinkWriter writer, string table, string chain, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_DELRULE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_RULE_TABLE, table);
        writer.WriteString(NfTables.NFTA_RULE_CHAIN, chain);
        writer.EndMessage(start);
    }

    public static void WriteDump(ref NetlinkWriter writer, string table, string? chain)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETRULE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.WriteString(NfTables.NFTA_RULE_TABLE, table);
        if (chain is not null)
        {
            writer.WriteString(NfTables.NFTA_RULE_CHAIN, chain);
        }
        writer.EndMessage(start);
    }

    public static NftRule Read(ReadOnlySpan<byte> payload)
    {
        string? table = null, chain = null, comment = null;
        ulong handle = 0;
        var expressions = new List<NftExpression>();
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfTables.NFTA_RULE_TABLE:
                    table = attribute.AsString();
                    break;
                case NfTables.NFTA_RULE_CHAIN:
                    chain = attribute.AsString();
                    break;
                case NfTables.NFTA_RULE_HANDLE:
                    handle = attribute.AsBe64();
                    break;
                case NfTables.NFTA_RULE_EXPRESSIONS:
                    foreach (var element in attribute.Nested())
                    {
                        expressions.Add(NftExpression.Read(element));
                    }
                    break;
                case NfTables.NFTA_RULE_USERDATA:
                    comment = ReadComment(attribute.Value);
                    break;
            }
        }
        return new NftRule(table ?? throw new InvalidDataException("nf_tables rule without a table"), chain ?? throw new InvalidDataException("nf_tables rule without a chain"), expressions, comment) { Handle = handle };
    }

    private static string? ReadComment(ReadOnlySpan<byte> userData)
    {
        while (userData.Length >= 2)
        {
            var length = userData[1];
            if (2 + length > userData.Length)
            {
                break;
            }
            if (userData[0] == CommentTlv)
            {
                var text = userData.Slice(2, length);
                var end = text.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
            }
            userData = userData[(2 + length)..];
        }
        return null;
    }
}
