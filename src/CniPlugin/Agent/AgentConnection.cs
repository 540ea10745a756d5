using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// One connection to the node agent's API socket in the agent's light framing (DESIGN.md
/// "Contracts"): the client opens with the 4 bytes "rnc1", then each request is
/// [u32 big-endian length][u8 method][protobuf message] and each answer
/// [u32 length][u8 status][protobuf message]: status 0 carries the method's response, any other
/// (a gRPC status code) a CniError. The same socket serves gRPC, which opens with HTTP/2's
/// "PRI * HTTP/2.0" instead; a gRPC client would cost this per-pod process its HTTP/2 and
/// HttpClient set-up on every exec (docs/BENCHMARKS.md has the comparison).
/// </summary>
internal sealed unsafe class AgentConnection : IDisposable
{
    public const int MaxFrame = 1 << 20;

    /// <summary>How long one answer may take: the agent may be retrying its datastore.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    private static ReadOnlySpan<byte> Magic => "rnc1"u8;

    private int _fd;
    private bool _greeted;

    private AgentConnection(string socketPath, int fd)
    {
        SocketPath = socketPath;
        _fd = fd;
    }

    public string SocketPath { get; }

    /// <summary>Connects, or throws <see cref="AgentUnavailableException"/> naming the socket at once (nothing listens, no file, no permission).</summary>
    public static AgentConnection Connect(string socketPath)
    {
        var path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= UnixSocketCalls.PathCapacity)
        {
            throw NetworkConfig.Invalid($"\"agentSocket\" '{socketPath}' is longer than a Unix socket path may be ({UnixSocketCalls.PathCapacity - 1} bytes)");
        }
        var fd = UnixSocketCalls.Socket(UnixSocketCalls.AfUnix, UnixSocketCalls.SockStream | UnixSocketCalls.SockCloexec, 0);
        if (fd < 0)
        {
            throw new CniException(CniErrorCode.IoFailure, $"socket(AF_UNIX): {UnixSocketCalls.Error(Marshal.GetLastPInvokeError())}");
        }
        // struct sockaddr_un: sa_family_t (2 bytes), then the NUL-terminated path.
        var address = stackalloc byte[2 + UnixSocketCalls.PathCapacity];
        new Span<byte>(address, 2 + UnixSocketCalls.PathCapacity).Clear();
        *(ushort*)address = UnixSocketCalls.AfUnix;
        path.CopyTo(new Span<byte>(address + 2, path.Length));
        if (UnixSocketCalls.Connect(fd, address, 2 + path.Length + 1) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            UnixSocketCalls.Close(fd);
            throw new AgentUnavailableException($"routednet-node is not reachable at {socketPath} ({UnixSocketCalls.Error(errno)}): is it running on this node? Try again later");
        }
        // A hung agent must not hang the runtime's pod start: both directions time out.
        var timeout = stackalloc long[2] { (long)AnswerTimeout.TotalSeconds, 0 };
        UnixSocketCalls.SetOption(fd, UnixSocketCalls.SolSocket, UnixSocketCalls.SoRcvtimeo, timeout, 16);
        UnixSocketCalls.SetOption(fd, UnixSocketCalls.SolSocket, UnixSocketCalls.SoSndtimeo, timeout, 16);
        return new AgentConnection(socketPath, fd);
    }

    /// <summary>Sends one request; the answer is read by <see cref="Receive"/> (so the caller can work meanwhile).</summary>
    public void Send(byte method, ProtoWriter message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var magic = _greeted ? 0 : Magic.Length;
        var frame = new byte[magic + 5 + message.Length];
        if (!_greeted)
        {
            Magic.CopyTo(frame);
            _greeted = true;
        }
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(magic), (uint)(1 + message.Length));
        frame[magic + 4] = method;
        message.Written.CopyTo(frame.AsSpan(magic + 5));
        fixed (byte* p = frame)
        {
            var sent = 0;
            while (sent < frame.Length)
            {
                var n = UnixSocketCalls.Send(_fd, p + sent, frame.Length - sent, UnixSocketCalls.MsgNosignal);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == UnixSocketCalls.Eintr)
                    {
                        continue;
                    }
                    throw new AgentUnavailableException($"routednet-node at {SocketPath} went away while sending {AgentMethod.Name(method)} ({UnixSocketCalls.Error(errno)}): try again later");
                }
                sent += (int)n;
            }
        }
    }

    /// <summary>
    /// The answer to the oldest request sent: the response message, or a <see cref="CniException"/>
    /// with the agent's CNI code. UNIMPLEMENTED (an agent older than this plugin, mid-upgrade) is
    /// treated as an agent not there yet: ADD fails with 11, DEL queues.
    /// </summary>
    public byte[] Receive(byte method)
    {
        Span<byte> header = stackalloc byte[5];
        ReadExactly(header, method);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > MaxFrame)
        {
            throw new CniException(CniErrorCode.IoFailure, $"{SocketPath}: {AgentMethod.Name(method)}: an answer of {length} bytes is not the agent's framing");
        }
        var body = new byte[length - 1];
        ReadExactly(body, method);
        var status = header[4];
        return status == 0 ? body : throw AgentError(method, status, body);
    }

    private Exception AgentError(byte method, byte status, byte[] body)
    {
        uint cniCode = 0;
        var text = "";
        var reader = new ProtoReader(body);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 2:
                    cniCode = (uint)reader.Varint();
                    break;
                case 3:
                    text = reader.String();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        const int Unimplemented = 12;
        if (status == Unimplemented)
        {
            return new AgentUnavailableException(
                $"the node agent at {SocketPath} does not serve {AgentMethod.Name(method)} at API version {AgentMethod.ApiVersion} (an older routednet-node, during an upgrade?): try again later{(text.Length > 0 ? $" ({text})" : "")}");
        }
        return new CniException(cniCode == 0 ? CniErrorCode.IoFailure : (int)cniCode, text.Length > 0 ? text : $"the node agent answered {AgentMethod.Name(method)} with status {status}");
    }

    private void ReadExactly(Span<byte> buffer, byte method)
    {
        fixed (byte* p = buffer)
        {
            var read = 0;
            while (read < buffer.Length)
            {
                var n = UnixSocketCalls.Receive(_fd, p + read, buffer.Length - read, 0);
                if (n > 0)
                {
                    read += (int)n;
                    continue;
                }
                var errno = n == 0 ? 0 : Marshal.GetLastPInvokeError();
                if (errno == UnixSocketCalls.Eintr)
                {
                    continue;
                }
                throw new AgentUnavailableException(errno == UnixSocketCalls.Eagain
                    ? $"routednet-node at {SocketPath} did not answer {AgentMethod.Name(method)} within {AnswerTimeout.TotalSeconds} s: try again later"
                    : $"routednet-node at {SocketPath} closed the connection during {AgentMethod.Name(method)}{(errno == 0 ? "" : " (" + UnixSocketCalls.Error(errno) + ")")}: try again later");
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            UnixSocketCalls.Close(_fd);
            _fd = -1;
        }
    }
}
