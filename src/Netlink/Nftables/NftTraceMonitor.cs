using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Netfilter;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// Receives nf_tables trace events (`nft monitor trace`) of one network namespace: the kernel
/// sends them for packets that a rule marked with `meta nftrace set 1`, to every socket in the
/// NFNLGRP_NFTRACE group. Not thread-safe; one reader.
/// </summary>
public sealed class NftTraceMonitor : IDisposable
{
    private readonly NetlinkSocket _socket;

    private NftTraceMonitor(NetlinkSocket socket)
    {
        _socket = socket;
        try
        {
            _socket.JoinGroup(NfTrace.NFNLGRP_NFTRACE);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Listens in the calling thread's network namespace.</summary>
    public static NftTraceMonitor Open() => new(NetlinkSocket.Open(NfTables.NETLINK_NETFILTER));

    /// <summary>Listens in the namespace file <paramref name="path"/>.</summary>
    public static NftTraceMonitor OpenNamespace(string path) =>
        new(NetworkNamespace.Run(path, () => NetlinkSocket.Open(NfTables.NETLINK_NETFILTER)));

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for events and adds those of one datagram
    /// to <paramref name="events"/>; false when none came. ENOBUFS (the kernel dropped events for a
    /// slow reader) is thrown: a trace with gaps must not read as complete.
    /// </summary>
    public bool TryRead(int timeoutMilliseconds, List<NftTraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!_socket.WaitReadable(timeoutMilliseconds))
        {
            return false;
        }
        var datagram = _socket.ReceiveIfAny("nft monitor trace");
        var before = events.Count;
        foreach (var message in new MessageReader(datagram))
        {
            if (message.Type == ((NfTables.NFNL_SUBSYS_NFTABLES << 8) | NfTrace.NFT_MSG_TRACE) && message.Payload.Length >= 4)
            {
                events.Add(Decode(message.Payload));
            }
        }
        return events.Count > before;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>One NFT_MSG_TRACE payload (nfgenmsg, then enum nft_trace_attributes).</summary>
    internal static NftTraceEvent Decode(ReadOnlySpan<byte> payload)
    {
        uint id = 0, type = 0;
        string table = "", chain = "";
        ulong? rule = null;
        NftVerdict? verdict = null;
        int? policy = null;
        uint? iif = null, oif = null, mark = null;
        byte? family = null;
        ReadOnlySpan<byte> network = [], transport = [];
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfTrace.NFTA_TRACE_ID: id = attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_TYPE: type = attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_TABLE: table = attribute.AsString(); break;
                case NfTrace.NFTA_TRACE_CHAIN: chain = attribute.AsString(); break;
                case NfTrace.NFTA_TRACE_RULE_HANDLE: rule = attribute.AsBe64(); break;
                case NfTrace.NFTA_TRACE_VERDICT: verdict = attribute.Verdict(); break;
                case NfTrace.NFTA_TRACE_POLICY: policy = unchecked((int)attribute.AsBe32()); break;
                case NfTrace.NFTA_TRACE_IIF: iif = attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_OIF: oif = attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_MARK: mark = attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_NFPROTO: family = (byte)attribute.AsBe32(); break;
                case NfTrace.NFTA_TRACE_NETWORK_HEADER: network = attribute.Value; break;
                case NfTrace.NFTA_TRACE_TRANSPORT_HEADER: transport = attribute.Value; break;
            }
        }
        return new NftTraceEvent
        {
            Id = id,
            Type = (NftTraceType)type,
            Table = table,
            Chain = chain,
            RuleHandle = rule,
            Verdict = verdict,
            Policy = policy,
            InputInterface = iif,
            OutputInterface = oif,
            Mark = mark,
            NetfilterFamily = family,
            Packet = network.IsEmpty ? null : PacketSummary.FromHeaders(network, transport),
        };
    }
}
