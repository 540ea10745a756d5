using RoutedNet.BgpSpeaker.Bfd;

namespace RoutedNet.BgpSpeaker.Tests.Bfd;

/// <summary>RFC 5880 §4.1 layout, byte for byte, and the discard rules of §6.8.6 that need no session.</summary>
public sealed class BfdControlPacketTests
{
    // Up, Poll, multiplier 3, discriminators 1 and 2, 300 ms each way, no echo.
    private static readonly byte[] UpPolling = Convert.FromHexString("20E003180000000100000002000493E0000493E000000000");

    private static readonly BfdControlPacket UpPollingPacket = new(BfdState.Up, BfdDiagnostic.None, 3, 1, 2, 300_000, 300_000, Poll: true);

    [Fact]
    public void WriteTo_UpWithPoll_TheRfcLayout()
    {
        var bytes = new byte[BfdControlPacket.Length];

        Assert.Equal(24, UpPollingPacket.WriteTo(bytes));

        Assert.Equal(Convert.ToHexString(UpPolling), Convert.ToHexString(bytes));
    }

    [Fact]
    public void TryParse_WhatWriteToWrote_SamePacketEveryField()
    {
        var packet = new BfdControlPacket(BfdState.Down, BfdDiagnostic.ControlDetectionTimeExpired, 5, 0xDEADBEEF, 0, 1_000_000, 100_000, 50_000, Final: true, ControlPlaneIndependent: true, Demand: true);
        var bytes = new byte[BfdControlPacket.Length];
        packet.WriteTo(bytes);

        Assert.True(BfdControlPacket.TryParse(bytes, out var parsed, out var discarded), discarded);

        Assert.Equal(packet, parsed);
    }

    [Fact]
    public void TryParse_TrailingBytesBeyondTheLengthField_Accepted()
    {
        Assert.True(BfdControlPacket.TryParse([.. UpPolling, 0, 0, 0, 0], out var parsed, out _));
        Assert.Equal(UpPollingPacket, parsed);
    }

    public static TheoryData<string, string, string> Discarded() => new()
    {
        // What is changed in UpPolling (hex, by offset), and the reason's words.
        { "short", "20E00318", "shorter than a control packet" },
        { "version 0", "00E003180000000100000002000493E0000493E000000000", "version 0" },
        { "version 2", "40E003180000000100000002000493E0000493E000000000", "version 2" },
        { "length below 24", "20E003170000000100000002000493E0000493E000000000", "below the minimum" },
        { "length beyond the datagram", "20E0031C0000000100000002000493E0000493E000000000", "exceeds the 24 bytes" },
        { "multiplier 0", "20E000180000000100000002000493E0000493E000000000", "detect multiplier 0" },
        { "multipoint", "20E103180000000100000002000493E0000493E000000000", "multipoint" },
        { "my discriminator 0", "20E003180000000000000002000493E0000493E000000000", "my discriminator 0" },
        { "your discriminator 0 while Up", "20E003180000000100000000000493E0000493E000000000", "your discriminator 0 in state Up" },
        { "your discriminator 0 while Init", "20A003180000000100000000000493E0000493E000000000", "your discriminator 0 in state Init" },
        { "authenticated", "20E4031A0000000100000002000493E0000493E0000000000102", "authentication present" },
    };

    [Theory]
    [MemberData(nameof(Discarded))]
    public void TryParse_WhatSection6_8_6Discards_FalseWithTheReason(string what, string hex, string reason)
    {
        Assert.False(BfdControlPacket.TryParse(Convert.FromHexString(hex), out _, out var discarded), what);

        Assert.Contains(reason, discarded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BfdState.Down)]
    [InlineData(BfdState.AdminDown)]
    public void TryParse_YourDiscriminator0WhileDownOrAdminDown_Accepted(BfdState state)
    {
        var bytes = new byte[BfdControlPacket.Length];
        new BfdControlPacket(state, BfdDiagnostic.None, 3, 7, 0, 1_000_000, 300_000).WriteTo(bytes);

        Assert.True(BfdControlPacket.TryParse(bytes, out var parsed, out _));
        Assert.Equal(state, parsed.State);
    }
}
