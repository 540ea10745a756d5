using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The BGP identifier of this node: its first IPv4 address, as operators expect to read it in a
/// peer's `show bgp neighbors`; on a node without one (IPv6 only) a 32-bit number derived from
/// the node's name, stable across restarts, which RFC 6286 allows (any non-zero value unique
/// within the AS). Without it an IPv6-only node would never start BGP.
/// </summary>
public static class RouterIds
{
    public static IPAddress For(IReadOnlyList<IPAddress> addresses, string nodeName)
    {
        if (addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) is { } v4)
        {
            return v4;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeName), digest);
        // Zero is the one value a BGP identifier may not take.
        if (BinaryPrimitives.ReadUInt32BigEndian(digest) == 0)
        {
            digest[3] = 1;
        }
        return new IPAddress(digest[..4]);
    }
}
