using System.Buffers;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// An rtnetlink connection to one network namespace: links, addresses, routes, neighbours, batches.
/// Method names follow the `ip` verbs ("Adds a route; `ip route add`"). Open one for the host with
/// <see cref="Open"/>, or for a pod with <see cref="OpenNamespace"/>; the socket stays in that
/// namespace for its whole life, so the handle can be used from any thread or task afterwards.
/// Calls are serialised by a lock; kernel refusals throw <see cref="NetlinkException"/>.
/// </summary>
public sealed partial class NetlinkHandle : IDisposable
{
    // Single requests are a few hundred bytes; a veth with both ends' attributes is the largest.
    private const int RequestBufferSize = 4096;

    private readonly NetlinkSocket _socket;
    private readonly Lock _lock = new();
    private readonly byte[] _request;
    private bool _disposed;

    private NetlinkHandle(NetlinkSocket socket, string? namespacePath)
    {
        _socket = socket;
        NamespacePath = namespacePath;
        _request = ArrayPool<byte>.Shared.Rent(RequestBufferSize);
    }

    private delegate void RequestWriter(ref NetlinkWriter writer);

    private delegate T? PayloadReader<T>(ReadOnlySpan<byte> payload);

    /// <summary>The namespace file this handle was opened in; null for the opener's own namespace.</summary>
    public string? NamespacePath { get; }

    /// <summary>Opens a handle in the calling thread's network namespace (the host's, for a normal process).</summary>
    public static NetlinkHandle Open() => new(NetlinkSocket.Open(), null);

    /// <summary>Opens a handle in the namespace file <paramref name="path"/> (/run/netns/x, /proc/PID/ns/net).</summary>
    public static NetlinkHandle OpenNamespace(string path) => new(NetworkNamespace.Run(path, NetlinkSocket.Open), path);

    /// <summary>
    /// <see cref="OpenNamespace(string)"/> that also opens the namespace's <paramref name="sysctls"/>
    /// directory in the same visit: one thread entering the namespace instead of one per setting.
    /// </summary>
    public static NetlinkHandle OpenNamespace(string path, SysctlTree sysctls, out SysctlDirectory directory)
    {
        var (socket, opened) = NetworkNamespace.Run(path, () =>
        {
            var socket = NetlinkSocket.Open();
            try
            {
                return (socket, SysctlDirectory.Open(sysctls));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
        directory = opened;
        return new NetlinkHandle(socket, path);
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
            ArrayPool<byte>.Shared.Return(_request);
        }
    }

    private void Change(RequestWriter write, Func<string> operation)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            write(ref writer);
            NetlinkConversation.Change(_socket, _request.AsSpan(0, writer.Length), operation);
        }
    }

    private T Query<T>(RequestWriter write, Func<string> operation, PayloadReader<T> read)
        where T : class =>
        QueryOrAbsent(write, operation, read) ?? throw new NetlinkException(Errno.ENODATA, operation());

    // A GET whose reply may be an errno that means "there is none" (ENODEV for a link name): that
    // is null, without the cost of an exception; every other error throws.
    private T? QueryOrAbsent<T>(RequestWriter write, Func<string> operation, PayloadReader<T> read, params ReadOnlySpan<Errno> absent)
        where T : class
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            write(ref writer);
            T? result = null;
            var errno = NetlinkConversation.TryQuery(_socket, _request.AsSpan(0, writer.Length), operation, message => result = read(message.Payload), out var kernelMessage);
            if (errno == Errno.None || absent.Contains(errno))
            {
                return result;
            }
            throw new NetlinkException(errno, operation(), kernelMessage);
        }
    }

    private List<T> Dump<T>(RequestWriter write, Func<string> operation, PayloadReader<T> read, Func<T, bool> keep)
        where T : class
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            write(ref writer);
            var results = new List<T>();
            NetlinkConversation.Dump(
                _socket,
                _request.AsSpan(0, writer.Length),
                operation,
                results.Clear,
                message =>
                {
                    if (read(message.Payload) is { } item && keep(item))
                    {
                        results.Add(item);
                    }
                });
            return results;
        }
    }

    /// <summary>A link's name for error texts; "index N" when it cannot be looked up (already gone).</summary>
    private string LinkName(int index)
    {
        try
        {
            return GetLink(index).Name;
        }
        catch (NetlinkException)
        {
            return $"index {index}";
        }
    }
}
