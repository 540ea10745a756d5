using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// One nf_tables transaction, built in memory and committed by <see cref="NftablesHandle.Commit"/>:
/// all of it applies or none does. Each call writes its message straight into the batch's buffer
/// (adding elements to the same set extends one message), so an element add costs no allocation
/// beyond the buffer's growth; <see cref="Clear"/> keeps the buffer for the next batch.
/// Methods follow the `nft` verbs ("add rule", "flush chain", "delete element").
/// </summary>
public sealed class NftBatch
{
    // BATCH_BEGIN (nlmsghdr + nfgenmsg + NFNL_BATCH_GENID) is written at commit into this room at the front.
    internal const int BeginRoom = NetlinkProtocol.NlMsgHdrSize + 4 + 8;
    internal const int EndLength = NetlinkProtocol.NlMsgHdrSize + 4;

    private readonly List<NftOperation> _operations = [];
    private byte[] _buffer = new byte[4096];
    private int _length = BeginRoom;
    private uint _nextSetId = 1;

    // The element message still open for more elements: its start, its ELEMENTS nest, the set it is for.
    private int _openStart = -1;
    private int _openElements;
    private ushort _openCount;

    /// <summary>Messages in the batch (one per call, except that consecutive element calls for one set share one).</summary>
    public int Count => _operations.Count;

    internal IReadOnlyList<NftOperation> Operations => _operations;

    /// <summary>`nft add table inet NAME`: creates the table, or leaves an existing one as it is.</summary>
    public NftBatch AddTable(string name)
    {
        Append(new NftOperation(NftOperationKind.AddTable, name, name), 256, (ref w) => NftTableCodec.WriteAdd(ref w, name, 0));
        return this;
    }

    /// <summary>`nft delete table inet NAME`: the table and everything in it.</summary>
    public NftBatch DeleteTable(string name)
    {
        Append(new NftOperation(NftOperationKind.DeleteTable, name, name), 256, (ref w) => NftTableCodec.WriteDelete(ref w, name, 0));
        return this;
    }

    /// <summary>`nft add chain inet TABLE NAME [{ type filter hook H priority P; policy V; }]`.</summary>
    public NftBatch AddChain(NftChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Append(new NftOperation(NftOperationKind.AddChain, chain.Table, chain.Name), 512, (ref w) => NftChainCodec.WriteAdd(ref w, chain, 0));
        return this;
    }

    /// <summary>`nft delete chain inet TABLE NAME` (the chain must be empty and unreferenced).</summary>
    public NftBatch DeleteChain(string table, string name)
    {
        Append(new NftOperation(NftOperationKind.DeleteChain, table, name), 512, (ref w) => NftChainCodec.WriteDelete(ref w, table, name, 0));
        return this;
    }

    /// <summary>`nft flush chain inet TABLE NAME`: removes every rule of the chain.</summary>
    public NftBatch FlushChain(string table, string chain)
    {
        Append(new NftOperation(NftOperationKind.FlushChain, table, chain), 512, (ref w) => NftRuleCodec.WriteFlush(ref w, table, chain, 0));
        return this;
    }

    /// <summary>`nft add rule inet TABLE CHAIN ...`: appends the rule to the chain.</summary>
    public NftBatch AddRule(NftRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Append(new NftOperation(NftOperationKind.AddRule, rule.Table, rule.Chain, rule.Comment), NftRuleCodec.MaxLength(rule), (ref w) => NftRuleCodec.WriteAdd(ref w, rule, 0));
        return this;
    }

    /// <summary>`nft add set|map inet TABLE NAME { type ...; [flags interval;] }`.</summary>
    public NftBatch AddSet(NftSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Key.Count == 0)
        {
            throw new ArgumentException($"set {set.Name} has no key type", nameof(set));
        }
        var id = _nextSetId++;
        Append(new NftOperation(NftOperationKind.AddSet, set.Table, set.Name), 512, (ref w) => NftSetCodec.WriteAdd(ref w, set, id, 0));
        return this;
    }

    /// <summary>`nft delete set inet TABLE NAME` (unreferenced).</summary>
    public NftBatch DeleteSet(string table, string name)
    {
        Append(new NftOperation(NftOperationKind.DeleteSet, table, name), 512, (ref w) => NftSetCodec.WriteDelete(ref w, table, name, 0));
        return this;
    }

    /// <summary>
    /// `nft add element inet TABLE SET { KEY [- KEY_END] [: VERDICT] }`. <paramref name="keyEnd"/> is
    /// for concatenated interval sets; plain interval sets take a start element and an
    /// <paramref name="intervalEnd"/> element at the first key past the range.
    /// </summary>
    public NftBatch AddElement(string table, string set, ReadOnlySpan<byte> key, ReadOnlySpan<byte> keyEnd = default, NftVerdict? verdict = null, bool intervalEnd = false)
    {
        WriteElement(NftOperationKind.AddElement, table, set, key, keyEnd, verdict, intervalEnd);
        return this;
    }

    /// <summary>`nft delete element inet TABLE SET { KEY }` (the same key, end and flag it was added with).</summary>
    public NftBatch DeleteElement(string table, string set, ReadOnlySpan<byte> key, ReadOnlySpan<byte> keyEnd = default, bool intervalEnd = false)
    {
        WriteElement(NftOperationKind.DeleteElement, table, set, key, keyEnd, null, intervalEnd);
        return this;
    }

    /// <summary>Empties the batch, keeping its buffer.</summary>
    public void Clear()
    {
        _operations.Clear();
        _length = BeginRoom;
        _openStart = -1;
        _nextSetId = 1;
    }

    /// <summary>
    /// The datagram to send: BATCH_BEGIN (with the generation when given), the messages stamped with
    /// sequence numbers from <paramref name="firstSequence"/> + 1 (only the last with NLM_F_ACK), BATCH_END. Valid until the batch changes.
    /// </summary>
    internal ReadOnlySpan<byte> Seal(uint firstSequence, uint? generation)
    {
        CloseElements();
        EnsureCapacity(EndLength);
        var beginStart = generation is null ? 8 : 0;
        var begin = new NetlinkWriter(_buffer.AsSpan(beginStart, BeginRoom - beginStart));
        var start = begin.BeginNftMessage(NfTables.NFNL_MSG_BATCH_BEGIN, NetlinkProtocol.NLM_F_REQUEST, firstSequence, family: 0, resourceId: NfTables.NFNL_SUBSYS_NFTABLES);
        if (generation is { } genid)
        {
            begin.WriteBe32(NfTables.NFNL_BATCH_GENID, genid);
        }
        begin.EndMessage(start);
        // BATCH_BEGIN/END are nfnetlink's own types, not nf_tables': undo the subsystem byte BeginMessage added.
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(beginStart + 4), NfTables.NFNL_MSG_BATCH_BEGIN);
        for (var i = 0; i < _operations.Count; i++)
        {
            var header = _buffer.AsSpan(_operations[i].Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], firstSequence + 1 + (uint)i);
            // Only the last message asks for an ack: the kernel answers every failure anyway, and an
            // ack per message (about 1 KiB of socket memory each) overruns the receive buffer in
            // batches of tens of thousands of messages.
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            flags = i == _operations.Count - 1 ? (ushort)(flags | NetlinkProtocol.NLM_F_ACK) : (ushort)(flags & ~NetlinkProtocol.NLM_F_ACK);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        }
        var end = new NetlinkWriter(_buffer, _length);
        var endStart = end.BeginNftMessage(NfTables.NFNL_MSG_BATCH_END, NetlinkProtocol.NLM_F_REQUEST, firstSequence + 1 + (uint)_operations.Count, family: 0, resourceId: NfTables.NFNL_SUBSYS_NFTABLES);
        end.EndMessage(endStart);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(endStart + 4), NfTables.NFNL_MSG_BATCH_END);
        return _buffer.AsSpan(beginStart, end.Length - beginStart);
    }

    /// <summary>The message of operation <paramref name="index"/>, for error texts.</summary>
    internal ReadOnlySpan<byte> MessageAt(int index)
    {
        var offset = _operations[index].Offset;
        return _buffer.AsSpan(offset, (int)BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(offset)));
    }

    private delegate void MessageWriter(ref NetlinkWriter writer);

    private void Append(NftOperation operation, int maxLength, MessageWriter write)
    {
        CloseElements();
        EnsureCapacity(maxLength);
        var writer = new NetlinkWriter(_buffer, _length);
        write(ref writer);
        _operations.Add(operation with { Offset = _length });
        _length = writer.Length;
    }

    private void WriteElement(NftOperationKind kind, string table, string set, ReadOnlySpan<byte> key, ReadOnlySpan<byte> keyEnd, NftVerdict? verdict, bool intervalEnd)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(set);
        var room = NftElementCodec.MaxElementLength(key.Length, keyEnd.Length, verdict?.Chain);
        var open = _openStart >= 0 ? _operations[^1] : default;
        if (_openStart < 0 || open.Kind != kind || !ReferenceEquals(open.Table, table) && open.Table != table || open.Name != set || _length + room - _openElements > NftElementCodec.ElementsLimit || _openCount == ushort.MaxValue >> 2)
        {
            CloseElements();
            EnsureCapacity(256 + room);
            var begin = new NetlinkWriter(_buffer, _length);
            _openStart = NftElementCodec.Begin(ref begin, kind == NftOperationKind.AddElement, table, set, 0, out _openElements);
            _operations.Add(new NftOperation(kind, table, set) { Offset = _openStart });
            _openCount = 0;
            _length = begin.Length;
        }
        EnsureCapacity(room);
        var writer = new NetlinkWriter(_buffer, _length);
        NftElementCodec.WriteElement(ref writer, ++_openCount, key, keyEnd, verdict, intervalEnd);
        _length = writer.Length;
    }

    private void CloseElements()
    {
        if (_openStart < 0)
        {
            return;
        }
        var writer = new NetlinkWriter(_buffer, _length);
        NftElementCodec.End(ref writer, _openStart, _openElements);
        _openStart = -1;
    }

    private void EnsureCapacity(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
