using System.Buffers.Binary;
using System.Net;

namespace RoutedNet.Netlink.Nftables.Tracing;

/// <summary>
/// The table a trace adds for its duration: `table inet routednet-trace` with a prerouting and an
/// output chain at priority raw (-300, before every filter) holding one rule, "this flow: meta
/// nftrace set 1". It is a table of its own so the policy reconciler, which owns table inet
/// routednet and repairs drift there, never sees it.
/// </summary>
public static class TraceTable
{
    public const string Name = "routednet-trace";

    private const int RawPriority = -300;
    private const byte NfProtoIPv4 = 2;
    private const byte NfProtoIPv6 = 10;

    public static NftBatch Add(TraceFilter filter)
    {
        var batch = new NftBatch().AddTable(Name);
        foreach (var (chain, hook) in new[] { ("pre", NftHook.PreRouting), ("out", NftHook.Output) })
        {
            batch.AddChain(new NftChain(Name, chain, hook, RawPriority, NftVerdict.Accept));
            batch.AddRule(new NftRule(Name, chain, Match(filter), "routednetctl policy trace"));
        }
        return batch;
    }

    public static NftBatch Delete() => new NftBatch().DeleteTable(Name);

    private static NftExpression[] Match(TraceFilter filter)
    {
        var v6 = filter.IsIPv6;
        var expressions = new List<NftExpression>
        {
            NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol),
            NftExpression.Compare(NftCompareOp.Equal, [v6 ? NfProtoIPv6 : NfProtoIPv4]),
        };
        AddAddress(expressions, filter.Source, v6 ? 8u : 12u);
        AddAddress(expressions, filter.Destination, v6 ? 24u : 16u);
        if (filter.Protocol is { } protocol)
        {
            expressions.Add(NftExpression.MetaLoad(NftMetaKey.Layer4Protocol));
            expressions.Add(NftExpression.Compare(NftCompareOp.Equal, [protocol]));
        }
        if (filter.DestinationPort is { } port)
        {
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, port);
            expressions.Add(NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2));
            expressions.Add(NftExpression.Compare(NftCompareOp.Equal, value));
        }
        expressions.Add(NftExpression.Immediate([1]));
        expressions.Add(NftExpression.MetaSet(NftMetaKey.NfTrace));
        return [.. expressions];
    }

    private static void AddAddress(List<NftExpression> expressions, IPAddress? address, uint offset)
    {
        if (address is null)
        {
            return;
        }
        var bytes = address.GetAddressBytes();
        expressions.Add(NftExpression.PayloadLoad(NftPayloadBase.Network, offset, (uint)bytes.Length));
        expressions.Add(NftExpression.Compare(NftCompareOp.Equal, bytes));
    }
}
