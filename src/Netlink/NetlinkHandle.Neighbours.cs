namespace RoutedNet.Netlink;

/// <summary>Neighbours: `ip neigh`.</summary>
public sealed partial class NetlinkHandle
{
    /// <summary>`ip neigh add IP lladdr MAC dev IF` or, with <see cref="NeighbourFlags.Proxy"/>, `ip neigh add proxy IP dev IF`.</summary>
    public void AddNeighbour(Neighbour neighbour) => ChangeNeighbour(ChangeKind.Add, neighbour);

    /// <summary>`ip neigh replace ...`.</summary>
    public void ReplaceNeighbour(Neighbour neighbour) => ChangeNeighbour(ChangeKind.Replace, neighbour);

    /// <summary>`ip neigh del [proxy] IP dev IF`.</summary>
    public void DeleteNeighbour(Neighbour neighbour) => ChangeNeighbour(ChangeKind.Delete, neighbour);

    /// <summary>`ip neigh show [proxy] [dev IF]`.</summary>
    public IReadOnlyList<Neighbour> ListNeighbours(NeighbourFilter? filter = null)
    {
        filter ??= new NeighbourFilter();
        return Dump<Neighbour>(
            (ref w) => NeighbourCodec.WriteDump(ref w, filter),
            () => filter.Proxy ? "neigh show proxy" : "neigh show",
            p => NeighbourCodec.Read(p),
            n => n.IsProxy == filter.Proxy
                && (filter.LinkIndex is null || n.LinkIndex == filter.LinkIndex)
                && (filter.Family is null || n.Ip.AddressFamily == filter.Family));
    }

    private void ChangeNeighbour(ChangeKind change, Neighbour neighbour)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        Change((ref w) => NeighbourCodec.Write(ref w, change, neighbour), () => OperationText.Neighbour(change, neighbour, LinkName));
    }
}
