using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// An nf_tables connection (NETLINK_NETFILTER) to one network namespace: commits
/// <see cref="NftBatch"/> transactions and reads tables, chains, rules, sets and elements back by
/// dumps, for the inet family. Like <see cref="NetlinkHandle"/>, the socket stays in the namespace
/// it was opened in; calls are serialised by a lock; refusals throw <see cref="NetlinkException"/>
/// naming the message that failed in `nft` words ("add rule inet routednet fw: ENOENT").
/// </summary>
public sealed class NftablesHandle : IDisposable
{
    private const int RequestBufferSize = 1024;

    private readonly NetlinkSocket _socket;
    private readonly Lock _lock = new();
    private readonly byte[] _request = new byte[RequestBufferSize];
    private bool _disposed;

    private NftablesHandle(NetlinkSocket socket) => _socket = socket;

    private delegate void RequestWriter(ref NetlinkWriter writer);

    /// <summary>Opens a handle in the calling thread's network namespace.</summary>
    public static NftablesHandle Open() => new(NetlinkSocket.Open(NfTables.NETLINK_NETFILTER));

    /// <summary>Opens a handle in the namespace file <paramref name="path"/> (/run/netns/x, /proc/PID/ns/net).</summary>
    public static NftablesHandle OpenNamespace(string path) =>
        new(NetworkNamespace.Run(path, () => NetlinkSocket.Open(NfTables.NETLINK_NETFILTER)));

    /// <summary>
    /// The ruleset generation (NFT_MSG_GETGEN): it changes with every committed transaction by
    /// anyone. Pass it to <see cref="Commit"/> to apply a batch only if nothing changed since.
    /// </summary>
    public uint GetGeneration()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETGEN, NetlinkProtocol.NLM_F_REQUEST, 0, family: 0);
            writer.EndMessage(start);
            uint generation = 0;
            NetlinkConversation.Query(_socket, _request.AsSpan(0, writer.Length), () => "nft list ruleset generation", message =>
            {
                foreach (var attribute in new AttributeReader(message.Payload[4..]))
                {
                    if (attribute.Type == NfTables.NFTA_GEN_ID)
                    {
                        generation = attribute.AsBe32();
                    }
                }
            });
            return generation;
        }
    }

    /// <summary>
    /// Commits <paramref name="batch"/> as one transaction (`nft -f`): the kernel answers each failed
    /// message and acknowledges the last; the first refusal is thrown, naming its message, and the
    /// kernel then applied nothing. With
    /// <paramref name="generation"/>, the kernel refuses the whole batch (ERESTART) when the ruleset
    /// changed since that generation was read.
    /// </summary>
    public void Commit(NftBatch batch, uint? generation = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var first = _socket.NextSequence();
            for (var i = 0; i <= batch.Count; i++)
            {
                _socket.NextSequence();
            }
            var datagram = batch.Seal(first, generation);
            var (index, errno, kernelMessage) = NftConversation.Commit(_socket, datagram, first, batch.Count);
            if (errno == Errno.None)
            {
                return;
            }
            if (index < 0)
            {
                var what = errno == Errno.ERESTART && generation is { } g
                    ? $"nft commit of {batch.Count} messages at generation {g} (the ruleset changed since; read it again and retry)"
                    : $"nft commit of {batch.Count} messages";
                throw new NetlinkException(errno, what, kernelMessage);
            }
            throw new NetlinkException(errno, batch.Operations[index].Describe(batch.MessageAt(index)), kernelMessage);
        }
    }

    /// <summary>`nft list tables inet`.</summary>
    public IReadOnlyList<NftTable> ListTables() =>
        Dump((ref w) => NftTableCodec.WriteDump(ref w), () => "nft list tables inet", (p, list) => list.Add(NftTableCodec.Read(p)), (List<NftTable>)[]);

    /// <summary>The chains of <paramref name="table"/> (`nft list chains`); ENOENT when the table does not exist.</summary>
    public IReadOnlyList<NftChain> ListChains(string table) =>
        Dump((ref w) => NftChainCodec.WriteDump(ref w, table), () => $"nft list chains inet {table}", (p, list) => Keep(list, NftChainCodec.Read(p), c => c.Table == table), (List<NftChain>)[]);

    /// <summary>The rules of <paramref name="table"/> (of one chain when given) in chain order, counters included.</summary>
    public IReadOnlyList<NftRule> ListRules(string table, string? chain = null) =>
        Dump((ref w) => NftRuleCodec.WriteDump(ref w, table, chain), () => $"nft list table inet {table}", (p, list) => Keep(list, NftRuleCodec.Read(p), r => r.Table == table && (chain is null || r.Chain == chain)), (List<NftRule>)[]);

    /// <summary>The sets and maps of <paramref name="table"/> (`nft list sets`).</summary>
    public IReadOnlyList<NftSet> ListSets(string table) =>
        Dump((ref w) => NftSetCodec.WriteDump(ref w, table), () => $"nft list sets inet {table}", (p, list) => Keep(list, NftSetCodec.Read(p), s => s.Table == table), (List<NftSet>)[]);

    /// <summary>
    /// The elements of one set (`nft list set inet TABLE SET`), as the kernel stores them. A hash
    /// set that grew is resized by a kernel worker after the commit, and a dump walking it
    /// meanwhile rewinds (rhashtable walks restart across a resize) or resumes each message by a
    /// count over a reordered table: it repeats elements and, as it stops at the same count, misses
    /// as many (26,484 of 30,000 right after a large commit). So a dump that repeated any element
    /// is taken again, a little later each time (ENOBUFS-style: at most
    /// <see cref="NetlinkConversation.DumpAttempts"/>, then the last is returned).
    /// </summary>
    public IReadOnlyList<NftSetElement> ListElements(string table, string set)
    {
        for (var attempt = 1; ; attempt++)
        {
            var elements = Dump((ref w) => NftElementCodec.WriteDump(ref w, table, set), () => $"nft list set inet {table} {set}", NftElementCodec.Read, (List<NftSetElement>)[]);
            if (attempt == NetlinkConversation.DumpAttempts || !HasRepeats(elements))
            {
                return elements;
            }
            Thread.Sleep(TimeSpan.FromMilliseconds(10 * attempt));
        }
    }

    private static bool HasRepeats(List<NftSetElement> elements)
    {
        var seen = new HashSet<string>(elements.Count, StringComparer.Ordinal);
        foreach (var element in elements)
        {
            if (!seen.Add(element.Identity()))
            {
                return true;
            }
        }
        return false;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _socket.Dispose();
        }
    }

    private static void Keep<T>(List<T> list, T item, Func<T, bool> keep)
    {
        if (keep(item))
        {
            list.Add(item);
        }
    }

    private List<T> Dump<T>(RequestWriter write, Func<string> operation, Action<ReadOnlySpan<byte>, List<T>> read, List<T> results)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            write(ref writer);
            NetlinkConversation.Dump(_socket, _request.AsSpan(0, writer.Length), operation, results.Clear, message => read(message.Payload, results));
            return results;
        }
    }
}
