using System.Runtime.InteropServices;

namespace RoutedNet.Netlink.Interop;

/// <summary>struct sockaddr_nl (linux/netlink.h): 12 bytes; nl_pid 0 is the kernel.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}
