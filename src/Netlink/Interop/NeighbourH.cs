namespace RoutedNet.Netlink.Interop;

/// <summary>Neighbour attributes and the proxy flag, spelled as in linux/neighbour.h (checked by HeaderConstantsTests).</summary>
internal static class NeighbourH
{
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NDA_IFINDEX = 8;

    public const byte NTF_PROXY = 1 << 3;
}
