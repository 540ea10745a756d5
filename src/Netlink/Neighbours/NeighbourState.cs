namespace RoutedNet.Netlink;

/// <summary>Neighbour states (NUD_* in linux/neighbour.h), `nud` in `ip neigh`.</summary>
[Flags]
public enum NeighbourState : ushort
{
    None = 0x00,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,
    Permanent = 0x80,
}
