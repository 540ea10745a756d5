namespace RoutedNet.Netlink;

/// <summary>Neighbour flags (NTF_* in linux/neighbour.h).</summary>
[Flags]
public enum NeighbourFlags : byte
{
    None = 0,
    Use = 1 << 0,
    Self = 1 << 1,
    Master = 1 << 2,
    Proxy = 1 << 3,
    ExternallyLearned = 1 << 4,
    Router = 1 << 7,
}
