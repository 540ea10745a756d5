using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Netlink.Wire;
using Ct = RoutedNet.Netlink.Interop.Conntrack;

namespace RoutedNet.Netlink.Conntrack;

/// <summary>
/// The conntrack table of one network namespace over ctnetlink (NETLINK_NETFILTER, subsystem
/// CTNETLINK): a dump of the entries of a family, the delete of one entry by its original tuple,
/// and the change of some bits of its mark. What `conntrack -L`, `-D` and `-U --mark` do; the
/// policy agent uses it to cut flows a narrowed policy no longer allows. Calls are serialised by a
/// lock.
/// </summary>
public sealed class ConntrackHandle : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Lock _lock = new();
    private readonly byte[] _request = new byte[512];
    private bool _disposed;

    private ConntrackHandle(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a handle in the calling thread's network namespace.</summary>
    public static ConntrackHandle Open() => new(NetlinkSocket.Open(NfTables.NETLINK_NETFILTER));

    /// <summary>Opens a handle in the namespace file <paramref name="path"/>.</summary>
    public static ConntrackHandle OpenNamespace(string path) =>
        new(NetworkNamespace.Run(path, () => NetlinkSocket.Open(NfTables.NETLINK_NETFILTER)));

    /// <summary>
    /// Every entry of <paramref name="family"/> (`conntrack -L -f ipv4|ipv6`), or of both with
    /// <see cref="AddressFamily.Unspecified"/> (`conntrack -L`): the kernel walks its whole
    /// conntrack hash (shared by every namespace) for each dump, so one dump of both costs half of two.
    /// </summary>
    public IReadOnlyList<ConntrackEntry> List(AddressFamily family)
    {
        var nfproto = family switch
        {
            AddressFamily.InterNetwork => (byte)2,
            AddressFamily.InterNetworkV6 => (byte)10,
            AddressFamily.Unspecified => (byte)0,
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "conntrack lists IPv4, IPv6 or both (Unspecified)"),
        };
        var entries = new List<ConntrackEntry>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            var start = writer.BeginNetfilterMessage(Ct.NFNL_SUBSYS_CTNETLINK, Ct.IPCTNL_MSG_CT_GET, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0, nfproto, 0);
            writer.EndMessage(start);
            NetlinkConversation.Dump(_socket, _request.AsSpan(0, writer.Length), () => nfproto switch { 2 => "conntrack -L -f ipv4", 10 => "conntrack -L -f ipv6", _ => "conntrack -L" }, entries.Clear, message =>
            {
                if (Read(message.Payload) is { } entry)
                {
                    entries.Add(entry);
                }
            });
        }
        return entries;
    }

    /// <summary>Deletes the entry (`conntrack -D` with its tuple); false when it is gone already.</summary>
    public bool Delete(ConntrackEntry entry) =>
        Send(entry, Ct.IPCTNL_MSG_CT_DELETE, null, () => $"conntrack -D {entry}");

    /// <summary>
    /// Sets the <paramref name="bits"/> of the entry's mark to those of <paramref name="value"/>,
    /// leaving its other bits (`conntrack -U` with CTA_MARK_MASK: the kernel computes
    /// (mark &amp; ~bits) ^ value); false when the entry is gone already.
    /// </summary>
    public bool SetMarkBits(ConntrackEntry entry, uint bits, uint value)
    {
        if ((value & ~bits) != 0)
        {
            throw new ArgumentException($"mark value 0x{value:x} has bits outside 0x{bits:x}", nameof(value));
        }
        return Send(entry, Ct.IPCTNL_MSG_CT_NEW, (bits, value), () => $"conntrack -U {entry} --mark 0x{value:x}/0x{bits:x}");
    }

    // One message naming the entry by its original tuple (and zone); IPCTNL_MSG_CT_NEW without
    // NLM_F_CREATE changes an existing entry and never makes one.
    private bool Send(ConntrackEntry entry, ushort type, (uint Bits, uint Value)? mark, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var buffer = entry.Tuple.Length + 64 <= _request.Length ? _request : new byte[entry.Tuple.Length + 64];
            var writer = new NetlinkWriter(buffer);
            var start = writer.BeginNetfilterMessage(Ct.NFNL_SUBSYS_CTNETLINK, type, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, 0, entry.Family, 0);
            var tuple = writer.BeginNested(Ct.CTA_TUPLE_ORIG);
            entry.Tuple.CopyTo(writer.Reserve(entry.Tuple.Length));
            writer.EndNested(tuple);
            if (entry.Zone is { } zone)
            {
                Span<byte> value = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(value, zone);
                writer.WriteAttribute(Ct.CTA_ZONE, value);
            }
            if (mark is { } m)
            {
                Span<byte> value = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(value, m.Value);
                writer.WriteAttribute(Ct.CTA_MARK, value);
                BinaryPrimitives.WriteUInt32BigEndian(value, m.Bits);
                writer.WriteAttribute(Ct.CTA_MARK_MASK, value);
            }
            writer.EndMessage(start);
            try
            {
                NetlinkConversation.Change(_socket, buffer.AsSpan(0, writer.Length), describe);
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                return false;
            }
        }
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

    private static ConntrackEntry? Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4)
        {
            return null;
        }
        var family = payload[0];
        byte[]? tuple = null;
        ushort? zone = null;
        uint mark = 0;
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            if (attribute.Type == Ct.CTA_TUPLE_ORIG)
            {
                tuple = attribute.Value.ToArray();
            }
            else if (attribute.Type == Ct.CTA_ZONE && attribute.Value.Length >= 2)
            {
                zone = BinaryPrimitives.ReadUInt16BigEndian(attribute.Value);
            }
            else if (attribute.Type == Ct.CTA_MARK && attribute.Value.Length >= 4)
            {
                mark = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
            }
        }
        if (tuple is null)
        {
            return null;
        }
        IPAddress? source = null, destination = null;
        byte protocol = 0, icmpType = 0, icmpCode = 0;
        ushort sourcePort = 0, destinationPort = 0;
        foreach (var part in new AttributeReader(tuple))
        {
            if (part.Type == Ct.CTA_TUPLE_IP)
            {
                foreach (var ip in part.Nested())
                {
                    switch (ip.Type)
                    {
                        case Ct.CTA_IP_V4_SRC or Ct.CTA_IP_V6_SRC:
                            source = ip.AsAddress();
                            break;
                        case Ct.CTA_IP_V4_DST or Ct.CTA_IP_V6_DST:
                            destination = ip.AsAddress();
                            break;
                    }
                }
            }
            else if (part.Type == Ct.CTA_TUPLE_PROTO)
            {
                foreach (var field in part.Nested())
                {
                    switch (field.Type)
                    {
                        case Ct.CTA_PROTO_NUM:
                            protocol = field.AsUInt8();
                            break;
                        case Ct.CTA_PROTO_SRC_PORT when field.Value.Length >= 2:
                            sourcePort = BinaryPrimitives.ReadUInt16BigEndian(field.Value);
                            break;
                        case Ct.CTA_PROTO_DST_PORT when field.Value.Length >= 2:
                            destinationPort = BinaryPrimitives.ReadUInt16BigEndian(field.Value);
                            break;
                        case Ct.CTA_PROTO_ICMP_TYPE or Ct.CTA_PROTO_ICMPV6_TYPE:
                            icmpType = field.AsUInt8();
                            break;
                        case Ct.CTA_PROTO_ICMP_CODE or Ct.CTA_PROTO_ICMPV6_CODE:
                            icmpCode = field.AsUInt8();
                            break;
                    }
                }
            }
        }
        return source is null || destination is null
            ? null
            : new ConntrackEntry(protocol, source, destination, sourcePort, destinationPort, icmpType, icmpCode) { Tuple = tuple, Zone = zone, Family = family, Mark = mark };
    }
}
