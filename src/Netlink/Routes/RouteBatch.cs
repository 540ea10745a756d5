namespace RoutedNet.Netlink;

/// <summary>
/// Route changes to send together with <see cref="NetlinkHandle.Execute(RouteBatch)"/>: many
/// RTM_NEWROUTE/RTM_DELROUTE messages per sendmsg. Each message is answered on its own when it
/// fails (the kernel sends an NLMSG_ERROR for a failure whether or not NLM_F_ACK was asked), and
/// only the last message of a sendmsg asks for an ack, which tells that all before it succeeded;
/// so one failure does not stop the rest, and every change gets its own result without the kernel
/// building an ack per route. Not thread-safe; reusable after <see cref="Clear"/>.
/// </summary>
public sealed class RouteBatch
{
    private readonly List<(ChangeKind Change, Route Route)> _items = [];

    public int Count => _items.Count;

    /// <summary>`ip route add`: fails with EEXIST when the route exists.</summary>
    public RouteBatch Add(Route route) => Append(ChangeKind.Add, route);

    /// <summary>`ip route replace`: creates or overwrites.</summary>
    public RouteBatch Replace(Route route) => Append(ChangeKind.Replace, route);

    /// <summary>`ip route del`: fails with ESRCH when the route is absent.</summary>
    public RouteBatch Delete(Route route) => Append(ChangeKind.Delete, route);

    public void Clear() => _items.Clear();

    public (ChangeKind Change, Route Route) this[int index] => _items[index];

    private RouteBatch Append(ChangeKind change, Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        // Checked here so that a bad entry fails at once, before any of the batch reaches the kernel.
        RouteCodec.Check(route);
        _items.Add((change, route));
        return this;
    }
}
