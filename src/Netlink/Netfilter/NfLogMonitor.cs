using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Netfilter;

/// <summary>
/// Receives the packets that `log group N` rules send (nfnetlink_log) in one network namespace.
/// Binding a group is exclusive per namespace: a second monitor of the same group is refused
/// (EPERM) until the first is disposed. Each packet is sent at once (queue threshold 1), with the
/// first <see cref="CopyRange"/> bytes: enough for the network and transport headers.
/// </summary>
public sealed class NfLogMonitor : IDisposable
{
    public const int CopyRange = 128;

    private readonly NetlinkSocket _socket;
    private readonly ushort _group;
    private readonly byte[] _request = new byte[256];

    private NfLogMonitor(NetlinkSocket socket, ushort group)
    {
        _socket = socket;
        _group = group;
        try
        {
            Configure((ref writer) =>
            {
                Span<byte> command = [NfLog.NFULNL_CFG_CMD_BIND];
                writer.WriteAttribute(NfLog.NFULA_CFG_CMD, command);
                Span<byte> mode = stackalloc byte[6];
                BinaryPrimitives.WriteUInt32BigEndian(mode, CopyRange);
                mode[4] = NfLog.NFULNL_COPY_PACKET;
                writer.WriteAttribute(NfLog.NFULA_CFG_MODE, mode);
                writer.WriteBe32(NfLog.NFULA_CFG_QTHRESH, 1);
            }, $"nflog bind group {group}");
        }
        catch (NetlinkException e) when (e.Errno == Errno.EPERM)
        {
            _socket.Dispose();
            // The kernel gives a group to one socket per namespace and answers EPERM to the rest.
            throw new NetlinkException(e.Errno, $"nflog bind group {group}", "the group is bound by another listener in this network namespace");
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    private delegate void ConfigWriter(ref NetlinkWriter writer);

    public ushort Group => _group;

    /// <summary>Binds <paramref name="group"/> in the calling thread's network namespace.</summary>
    public static NfLogMonitor Open(ushort group) => new(NetlinkSocket.Open(NfTables.NETLINK_NETFILTER), group);

    /// <summary>Binds <paramref name="group"/> in the namespace file <paramref name="path"/>.</summary>
    public static NfLogMonitor OpenNamespace(string path, ushort group) =>
        new(NetworkNamespace.Run(path, () => NetlinkSocket.Open(NfTables.NETLINK_NETFILTER)), group);

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> and adds the packets of one datagram to
    /// <paramref name="packets"/>; false when none came. ENOBUFS (packets dropped for a slow reader) is thrown.
    /// </summary>
    public bool TryRead(int timeoutMilliseconds, List<NfLogPacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        if (!_socket.WaitReadable(timeoutMilliseconds))
        {
            return false;
        }
        var datagram = _socket.ReceiveIfAny($"nflog group {_group}");
        var before = packets.Count;
        foreach (var message in new MessageReader(datagram))
        {
            if (message.Type == ((NfLog.NFNL_SUBSYS_ULOG << 8) | NfLog.NFULNL_MSG_PACKET) && message.Payload.Length >= 4)
            {
                packets.Add(Decode(message.Payload));
            }
        }
        return packets.Count > before;
    }

    public void Dispose()
    {
        try
        {
            Configure((ref writer) => writer.WriteAttribute(NfLog.NFULA_CFG_CMD, [NfLog.NFULNL_CFG_CMD_UNBIND]), $"nflog unbind group {_group}");
        }
        catch (NetlinkException)
        {
            // Closing the socket unbinds as well; the explicit unbind only makes it immediate.
        }
        _socket.Dispose();
    }

    /// <summary>One NFULNL_MSG_PACKET payload (nfgenmsg, then enum nfulnl_attr_type).</summary>
    internal static NfLogPacket Decode(ReadOnlySpan<byte> payload)
    {
        string prefix = "";
        byte hook = 0;
        uint? iif = null, oif = null, mark = null;
        DateTimeOffset? timestamp = null;
        PacketSummary? packet = null;
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfLog.NFULA_PACKET_HDR when attribute.Value.Length >= 3: hook = attribute.Value[2]; break;
                case NfLog.NFULA_PREFIX: prefix = attribute.AsString(); break;
                case NfLog.NFULA_IFINDEX_INDEV: iif = attribute.AsBe32(); break;
                case NfLog.NFULA_IFINDEX_OUTDEV: oif = attribute.AsBe32(); break;
                case NfLog.NFULA_MARK: mark = attribute.AsBe32(); break;
                case NfLog.NFULA_TIMESTAMP when attribute.Value.Length >= 16:
                    var seconds = (long)BinaryPrimitives.ReadUInt64BigEndian(attribute.Value);
                    var micros = (long)BinaryPrimitives.ReadUInt64BigEndian(attribute.Value[8..]);
                    timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10);
                    break;
                case NfLog.NFULA_PAYLOAD: packet = PacketSummary.FromPacket(attribute.Value); break;
            }
        }
        return new NfLogPacket { Prefix = prefix, Hook = hook, InputInterface = iif, OutputInterface = oif, Mark = mark, Timestamp = timestamp, Packet = packet };
    }

    private void Configure(ConfigWriter write, string operation)
    {
        var writer = new NetlinkWriter(_request);
        var start = writer.BeginNetfilterMessage(NfLog.NFNL_SUBSYS_ULOG, NfLog.NFULNL_MSG_CONFIG, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, 0, family: 0, resourceId: _group);
        write(ref writer);
        writer.EndMessage(start);
        NetlinkConversation.Change(_socket, _request.AsSpan(0, writer.Length), () => operation);
    }
}
