using System.Net;

namespace RoutedNet.RrClients;

/// <summary>
/// Where client i lives and what it announces: it connects from 127.1.0.0 + 1 + i and announces
/// the /26 at 10.128.0.0 + 64 i (and change k as 10.200.0.0 + k /32) with next hop 100.64.0.0 + 1 + i.
/// The next hop is not the loopback address: GoBGP treats a 127/8 next hop as invalid (RFC 4271
/// §5.1.3) and the UPDATE as a withdrawal.
/// </summary>
internal static class Addressing
{
    public const uint BlockBase = (10u << 24) | (128u << 16);
    public const uint ChangeBase = (10u << 24) | (200u << 16);
    public const int BlockLength = 26;
    private const uint ClientBase = (127u << 24) | (1u << 16);

    private const uint NextHopBase = (100u << 24) | (64u << 16);

    public static uint ClientAddress(int index) => ClientBase + 1 + (uint)index;

    public static IPAddress NextHop(int index) => ToAddress(NextHopBase + 1 + (uint)index);

    public static IPAddress ToAddress(uint address) =>
        new([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]);

    public static uint Block(int index) => BlockBase + ((uint)index << 6);

    /// <summary>The client whose /26 this is, or -1.</summary>
    public static int BlockOwner(uint prefix, int length, int clients)
    {
        if (length != BlockLength || prefix < BlockBase)
        {
            return -1;
        }
        var index = (prefix - BlockBase) >> 6;
        return index < clients ? (int)index : -1;
    }

    public static uint Change(int k) => ChangeBase + (uint)k;

    /// <summary>The change number of this /32, or -1.</summary>
    public static int ChangeNumber(uint prefix, int length, int changes) =>
        length == 32 && prefix >= ChangeBase && prefix - ChangeBase < (uint)changes ? (int)(prefix - ChangeBase) : -1;
}
