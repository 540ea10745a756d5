using System.Buffers;
using System.Runtime.InteropServices;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;
using Tmds.Linux;

namespace RoutedNet.Netlink;

/// <summary>
/// One netlink socket (NETLINK_ROUTE, or NETLINK_NETFILTER for nf_tables): open, send, receive one datagram. The socket belongs to the network
/// namespace of the thread that opened it, for its whole life. Not thread-safe: <see cref="NetlinkHandle"/>
/// serialises callers. The conversations (ack, dump, batch) live in <see cref="NetlinkConversation"/>.
/// </summary>
internal sealed unsafe class NetlinkSocket : INetlinkTransport, IDisposable
{
    // Dump datagrams are at most ~32 KiB (the kernel's netlink_dump allocation); 64 KiB leaves room.
    private const int DatagramBufferSize = 64 * 1024;

    // Batches get one ack per message; a large kernel-side buffer keeps them from overrunning
    // (ENOBUFS). SO_RCVBUFFORCE works for root; others get whatever SO_RCVBUF allows.
    private const int KernelBufferSize = 8 * 1024 * 1024;

    private readonly int _fd;
    private byte[] _datagram;
    private uint _sequence;

    private NetlinkSocket(int fd, uint portId)
    {
        _fd = fd;
        PortId = portId;
        _datagram = ArrayPool<byte>.Shared.Rent(DatagramBufferSize);
        // Start somewhere unpredictable so replies meant for an earlier socket with this port id can never match.
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned at bind time; every reply must carry it.</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open() => Open(NetlinkProtocol.NETLINK_ROUTE);

    /// <summary>Opens a socket of <paramref name="protocol"/> (NETLINK_ROUTE, NETLINK_NETFILTER) in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open(int protocol)
    {
        var fd = LibC.socket(NetlinkProtocol.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw LastError("netlink socket");
        }
        try
        {
            // Each option is a refinement older kernels may lack; the conversation works without them.
            SetOption(fd, NetlinkProtocol.SOL_NETLINK, NetlinkProtocol.NETLINK_EXT_ACK, 1);
            // Acks then carry only the original header, not the whole request: 36 bytes per ack in a batch.
            SetOption(fd, NetlinkProtocol.SOL_NETLINK, NetlinkProtocol.NETLINK_CAP_ACK, 1);
            // Strict checking lets the kernel filter dumps by the fields we set in the request header.
            SetOption(fd, NetlinkProtocol.SOL_NETLINK, NetlinkProtocol.NETLINK_GET_STRICT_CHK, 1);
            if (!SetOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, KernelBufferSize))
            {
                SetOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, KernelBufferSize);
            }
            if (!SetOption(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, KernelBufferSize))
            {
                SetOption(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, KernelBufferSize);
            }

            var address = new SockaddrNl { nl_family = NetlinkProtocol.AF_NETLINK };
            if (LibC.bind(fd, (sockaddr*)&address, sizeof(SockaddrNl)) != 0)
            {
                throw LastError("netlink bind");
            }
            socklen_t length = sizeof(SockaddrNl);
            if (LibC.getsockname(fd, (sockaddr*)&address, &length) != 0)
            {
                throw LastError("netlink getsockname");
            }
            return new NetlinkSocket(fd, address.nl_pid);
        }
        catch
        {
            LibC.close(fd);
            throw;
        }
    }

    public uint NextSequence() => unchecked(++_sequence);

    /// <summary>
    /// Joins the multicast group <paramref name="group"/> (NFNLGRP_NFTRACE, …) so the kernel's
    /// events for it arrive on this socket beside the replies.
    /// </summary>
    public void JoinGroup(int group)
    {
        if (!SetOption(_fd, NetlinkProtocol.SOL_NETLINK, NetlinkProtocol.NETLINK_ADD_MEMBERSHIP, group))
        {
            throw LastError($"netlink join group {group}");
        }
    }

    /// <summary>Whether a datagram is queued within <paramref name="timeoutMilliseconds"/> (poll); a monitor's way to stay cancellable.</summary>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        var descriptor = new pollfd { fd = _fd, events = (short)LibC.POLLIN };
        var timeout = new timespec { tv_sec = (time_t)(timeoutMilliseconds / 1000), tv_nsec = (long_t)(timeoutMilliseconds % 1000 * 1_000_000L) };
        while (true)
        {
            var ready = Interop.Poll.WaitPrecise(&descriptor, 1, &timeout, null);
            if (ready >= 0)
            {
                return ready > 0;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw new NetlinkException((Errno)errno, "netlink poll");
            }
        }
    }

    /// <summary>Sends one datagram (one or many messages) to the kernel.</summary>
    public void Send(ReadOnlySpan<byte> datagram, string operation)
    {
        var kernel = new SockaddrNl { nl_family = NetlinkProtocol.AF_NETLINK };
        fixed (byte* p = datagram)
        {
            while (true)
            {
                long sent = LibC.sendto(_fd, p, datagram.Length, 0, (sockaddr*)&kernel, sizeof(SockaddrNl));
                if (sent >= 0)
                {
                    return;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR)
                {
                    throw new NetlinkException((Errno)errno, operation);
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram from the kernel. ENOBUFS means the kernel dropped replies for us: the
    /// caller decides whether that is fatal (an ack lost) or retryable (a dump).
    /// </summary>
    public ReadOnlySpan<byte> Receive(string operation) => ReceiveCore(operation, wait: true);

    /// <summary>Receives one datagram if one is queued; empty when the queue is empty.</summary>
    public ReadOnlySpan<byte> ReceiveIfAny(string operation) => ReceiveCore(operation, wait: false);

    private ReadOnlySpan<byte> ReceiveCore(string operation, bool wait)
    {
        var flags = LibC.MSG_TRUNC | (wait ? 0 : LibC.MSG_DONTWAIT);
        while (true)
        {
            var from = default(SockaddrNl);
            socklen_t fromLength = sizeof(SockaddrNl);
            long received;
            fixed (byte* p = _datagram)
            {
                // MSG_TRUNC makes recvfrom return the real size, so a datagram bigger than the buffer is seen.
                received = LibC.recvfrom(_fd, p, _datagram.Length, flags, (sockaddr*)&from, &fromLength);
            }
            if (received < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }
                if (!wait && errno == LibC.EAGAIN)
                {
                    return [];
                }
                throw new NetlinkException((Errno)errno, operation);
            }
            if (received > _datagram.Length)
            {
                // Lost its tail; grow so the next one fits and report this one as a lost reply.
                ArrayPool<byte>.Shared.Return(_datagram);
                _datagram = ArrayPool<byte>.Shared.Rent((int)received);
                throw new NetlinkException(Errno.EMSGSIZE, operation, $"reply of {received} bytes truncated");
            }
            if (from.nl_pid != 0)
            {
                // Only the kernel talks to us; anything else is not a reply.
                continue;
            }
            return _datagram.AsSpan(0, (int)received);
        }
    }

    public void Dispose()
    {
        LibC.close(_fd);
        ArrayPool<byte>.Shared.Return(_datagram);
    }

    /// <summary>setsockopt for an int option; false when the kernel (or our privilege) does not allow it.</summary>
    private static bool SetOption(int fd, int level, int name, int value) =>
        LibC.setsockopt(fd, level, name, &value, sizeof(int)) == 0;

    private static NetlinkException LastError(string operation) =>
        new((Errno)Marshal.GetLastPInvokeError(), operation);
}
