using System.Buffers;
using System.Net;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>Routes: `ip route`, one at a time or in batches.</summary>
public sealed partial class NetlinkHandle
{
    // Each sendmsg of a batch carries at most this many messages (and bytes). Their error replies
    // must fit the socket's receive buffer (about 1 KiB of kernel memory each), or the kernel drops them.
    private const int BatchMessagesPerDatagram = 1024;
    private const int BatchDatagramSize = 128 * 1024;

    /// <summary>`ip route add ...`; EEXIST when a route with the same key (prefix, table, metric, tos) exists.</summary>
    public void AddRoute(Route route) => ChangeRoute(ChangeKind.Add, route);

    /// <summary>`ip route replace ...`: creates the route or overwrites the one with the same key.</summary>
    public void ReplaceRoute(Route route) => ChangeRoute(ChangeKind.Replace, route);

    /// <summary>
    /// `ip route del ...`; ESRCH when nothing matches. The route's <see cref="Route.Protocol"/> and
    /// <see cref="Route.Type"/> must match too (use <see cref="RouteProtocol.Unspecified"/> to match any protocol).
    /// </summary>
    public void DeleteRoute(Route route) => ChangeRoute(ChangeKind.Delete, route);

    /// <summary>`ip route show table all` narrowed by <paramref name="filter"/> (a null field matches all).</summary>
    public IReadOnlyList<Route> ListRoutes(RouteFilter? filter = null)
    {
        var routes = new List<Route>();
        ScanRoutes(filter, (in RouteMessage route) => routes.Add(route.ToRoute()), routes.Clear);
        return routes;
    }

    /// <summary>
    /// <see cref="ListRoutes"/> without the objects: each matching route is handed to
    /// <paramref name="handler"/> as it is read from the kernel's reply, and nothing is kept. A dump
    /// the kernel interrupts (the table changed meanwhile) starts over, after
    /// <paramref name="restart"/> tells the caller to forget what it was handed so far.
    /// </summary>
    public void ScanRoutes(RouteFilter? filter, RouteHandler handler, Action restart)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(restart);
        filter ??= new RouteFilter();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = new NetlinkWriter(_request);
            RouteCodec.WriteDump(ref writer, filter);
            try
            {
                NetlinkConversation.Dump(_socket, _request.AsSpan(0, writer.Length), () => "route show", restart, message =>
                {
                    if (RouteMessage.TryRead(message.Payload, out var route) && Matches(filter, route))
                    {
                        handler(in route);
                    }
                });
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT && filter.Table is not null)
            {
                // With strict checking the kernel answers a dump of a table that does not exist yet with ENOENT.
                restart();
            }
        }
    }

    /// <summary>
    /// `ip route get fibmatch ADDRESS`: the FIB entry a packet to <paramref name="destination"/> would
    /// take (after the policy rules), found by one lookup however large the tables are; null when no
    /// route matches. Also null when the entry is a blackhole, unreachable or prohibit route: the
    /// kernel answers those lookups only with the route's error (EINVAL, EHOSTUNREACH, EACCES), never
    /// with the entry, so a caller that must see them needs a dump or an exclusive add.
    /// </summary>
    public Route? MatchRoute(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return QueryOrAbsent<Route>(
            (ref w) => RouteCodec.WriteMatch(ref w, destination),
            () => "route get fibmatch " + destination,
            p => RouteCodec.Read(p),
            Errno.ENETUNREACH, Errno.EINVAL, Errno.EHOSTUNREACH, Errno.EACCES);
    }

    /// <summary>
    /// Sends every change of <paramref name="batch"/>, many per sendmsg; one failure does not stop the
    /// others. Returns each change's outcome.
    /// </summary>
    public BatchResult Execute(RouteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var errnos = new Errno[batch.Count];
        var kernelMessages = new string?[batch.Count];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var datagram = ArrayPool<byte>.Shared.Rent(BatchDatagramSize);
            try
            {
                for (var next = 0; next < batch.Count;)
                {
                    var first = next;
                    var writer = new NetlinkWriter(datagram);
                    var firstSequence = 0u;
                    var lastStart = 0;
                    while (next < batch.Count && next - first < BatchMessagesPerDatagram && writer.Remaining >= RouteCodec.MaxLength(batch[next].Route))
                    {
                        var sequence = _socket.NextSequence();
                        if (next == first)
                        {
                            firstSequence = sequence;
                        }
                        var (change, route) = batch[next];
                        lastStart = RouteCodec.Write(ref writer, change, route, sequence, ackFlag: 0);
                        next++;
                    }
                    if (next == first)
                    {
                        throw new ArgumentException($"batch entry {next} is too large for one datagram", nameof(batch));
                    }
                    // Only the last message asks for an ack: failures are answered anyway, and the
                    // kernel need not build (nor we read) an ack per route.
                    writer.AddFlags(lastStart, NetlinkProtocol.NLM_F_ACK);
                    NetlinkConversation.Batch(
                        _socket,
                        writer.Written,
                        firstSequence,
                        errnos.AsSpan(first, next - first),
                        kernelMessages.AsSpan(first, next - first),
                        () => "route batch");
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(datagram);
            }
        }
        return new BatchResult(errnos, DescribeFailures(batch, errnos, kernelMessages));
    }

    private List<(int Index, NetlinkException Error)> DescribeFailures(RouteBatch batch, Errno[] errnos, string?[] kernelMessages)
    {
        var failures = new List<(int, NetlinkException)>();
        Dictionary<int, string>? names = null;
        for (var i = 0; i < errnos.Length; i++)
        {
            if (errnos[i] == Errno.None)
            {
                continue;
            }
            names ??= [];
            var (change, route) = batch[i];
            var text = OperationText.Route(change, route, index => names.TryGetValue(index, out var name) ? name : names[index] = LinkName(index));
            failures.Add((i, new NetlinkException(errnos[i], text, kernelMessages[i])));
        }
        return failures;
    }

    private void ChangeRoute(ChangeKind change, Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        Change((ref w) => RouteCodec.Write(ref w, change, route, 0), () => OperationText.Route(change, route, LinkName));
    }

    private static bool Matches(RouteFilter filter, in RouteMessage route)
    {
        if ((filter.Family is { } family && route.Family != family)
            || (filter.Table is { } table && route.Table != table)
            || (filter.Protocol is { } protocol && route.Protocol != protocol)
            || (filter.Type is { } type && route.Type != type)
            || (filter.Destination is { } destination && !route.DestinationIs(destination)))
        {
            return false;
        }
        if (filter.LinkIndex is not { } link || route.LinkIndex == link)
        {
            return true;
        }
        foreach (var hop in route.Nexthops)
        {
            if (hop.LinkIndex == link)
            {
                return true;
            }
        }
        return false;
    }
}
