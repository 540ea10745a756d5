using System.Net;
using System.Text;
using RoutedNet.Ctl.Lab;

namespace RoutedNet.Ctl.Tests.Lab;

/// <summary>The SCTP INIT the lab's probe sends over a raw socket (this kernel has no SCTP module).</summary>
public class SctpInitTests
{
    [Fact]
    public void Crc32c_ChecksumFieldTakenAsZero_EqualsTheCatalogueCrc32c()
    {
        Assert.Equal(0xE3069283u, Crc(Encoding.ASCII.GetBytes("123456789"))); // the CRC catalogue's check value for CRC-32C
        var packet = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var zeroed = (byte[])packet.Clone();
        zeroed.AsSpan(8, 4).Clear();

        Assert.Equal(Crc(zeroed), SctpInit.Crc32c(packet));
    }

    [Fact]
    public void Build_ChecksumStoredLeastSignificantByteFirst()
    {
        var sctp = SctpInit.Build(1, 2, 3);
        var zeroed = (byte[])sctp.Clone();
        zeroed.AsSpan(8, 4).Clear();

        Assert.Equal(Crc(zeroed), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(sctp.AsSpan(8)));
    }

    [Fact]
    public void Build_ThenReadBehindAnIpHeader_SamePortsAndTag()
    {
        var sctp = SctpInit.Build(40000, 80, 0x12345678);
        var ip = new byte[20 + sctp.Length];
        ip[0] = 0x45;
        ip[9] = SctpInit.Protocol;
        new byte[] { 10, 244, 1, 5 }.CopyTo(ip, 12);
        sctp.CopyTo(ip, 20);

        Assert.True(SctpInit.TryRead(ip, out var source, out var sourcePort, out var port, out var tag));
        Assert.Equal((IPAddress.Parse("10.244.1.5"), 40000, 80, 0x12345678u), (source, sourcePort, port, tag));
        Assert.Equal(SctpInit.Length, sctp.Length);
        Assert.Equal(1, sctp[12]);
        Assert.Equal(new byte[4], sctp[4..8]);
    }

    [Fact]
    public void TryRead_ChecksumWrong_NotAnInit()
    {
        var sctp = SctpInit.Build(40000, 80, 7);
        sctp[20] ^= 1;
        var ip = new byte[20 + sctp.Length];
        ip[0] = 0x45;
        ip[9] = SctpInit.Protocol;
        sctp.CopyTo(ip, 20);

        Assert.False(SctpInit.TryRead(ip, out _, out _, out _, out _));
    }

    // A bitwise CRC-32C (reflected polynomial 0x82F63B78), independent of the hardware instruction the code uses.
    private static uint Crc(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }
}
