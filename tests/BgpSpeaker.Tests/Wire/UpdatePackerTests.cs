using System.Buffers;
using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class UpdatePackerTests
{
    private static readonly PathAttributes Attributes = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65000),
        NextHop = IPAddress.Parse("172.18.0.2"),
    };

    [Theory]
    [InlineData(false, 4096)]
    [InlineData(true, 65535)]
    public void WriteAnnouncements_ManyIpv4Prefixes_FitsEachMessageAndLosesNone(bool extended, int max)
    {
        var context = new BgpCodecContext(true, extended, true);
        var prefixes = Enumerable.Range(0, 50_000).Select(i => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32)).ToArray();
        var buffer = new ArrayBufferWriter<byte>();

        var count = UpdatePacker.WriteAnnouncements(buffer, context, Attributes, prefixes);

        var messages = ReadAll(buffer.WrittenMemory, context);
        Assert.Equal(count, messages.Count);
        Assert.All(messages, m => Assert.True(m.Length <= max));
        Assert.All(messages, m => Assert.Equal(Attributes, m.Update.Attributes));
        Assert.Equal(prefixes, messages.SelectMany(m => m.Update.Nlri));
        // Packed tight: all but the last message within one /32 (5 octets) of the maximum.
        Assert.All(messages.SkipLast(1), m => Assert.True(m.Length > max - 5));
    }

    [Fact]
    public void WriteAnnouncements_Ipv6_UsesMpReachAcrossMessages()
    {
        var context = new BgpCodecContext(true, false, true);
        var prefixes = Enumerable.Range(0, 3000).Select(i => BgpPrefix.FromIpv6((UInt128.Parse("42540766411282592856903984951653826560", System.Globalization.CultureInfo.InvariantCulture)) + ((UInt128)i << 8), 120)).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65000) };

        UpdatePacker.WriteAnnouncements(buffer, context, attributes, prefixes, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1"));

        var messages = ReadAll(buffer.WrittenMemory, context);
        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.Equal(IPAddress.Parse("fe80::1"), m.Update.MpReach!.LinkLocalNextHop));
        Assert.Equal(prefixes, messages.SelectMany(m => m.Update.MpReach!.Nlri));
    }

    [Theory]
    [InlineData("100.64.0.0/32")]
    [InlineData("2001:db8::/128")]
    public void WriteWithdrawals_ManyPrefixes_AllWithdrawn(string first)
    {
        var context = new BgpCodecContext(true, false, true);
        var start = BgpPrefix.Parse(first);
        var prefixes = Enumerable.Range(0, 5000).Select(i => start.IsIPv6
            ? BgpPrefix.FromIpv6(UInt128.Parse("42540766411282592856903984951653826560", System.Globalization.CultureInfo.InvariantCulture) + (UInt128)i, 128)
            : BgpPrefix.FromIpv4(start.Ipv4Address + (uint)i, 32)).ToArray();
        var buffer = new ArrayBufferWriter<byte>();

        UpdatePacker.WriteWithdrawals(buffer, context, prefixes);

        var messages = ReadAll(buffer.WrittenMemory, context);
        Assert.Equal(prefixes, messages.SelectMany(m => start.IsIPv6 ? m.Update.MpUnreach!.Withdrawn : m.Update.WithdrawnRoutes));
        Assert.All(messages, m => Assert.False(m.Update.IsEndOfRib(out _)));
    }

    [Fact]
    public void WriteAnnouncements_MixedFamilies_Throws()
    {
        Assert.Throws<ArgumentException>(() => UpdatePacker.WriteAnnouncements(
            new ArrayBufferWriter<byte>(), BgpCodecContext.Initial, Attributes, [BgpPrefix.Parse("10.0.0.0/8"), BgpPrefix.Parse("2001:db8::/32")], IPAddress.Parse("2001:db8::1")));
    }

    private static List<(int Length, UpdateMessage Update)> ReadAll(ReadOnlyMemory<byte> bytes, BgpCodecContext context)
    {
        var result = new List<(int, UpdateMessage)>();
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadFrame(rest.Span, context, out var header, out var error));
            Assert.True(UpdateMessage.TryRead(rest.Span.Slice(BgpHeader.Size, header.BodyLength), context, out var update, out error), error.ToString());
            Assert.False(error.IsError, error.ToString());
            result.Add((header.Length, update!));
            rest = rest[header.Length..];
        }
        return result;
    }
}
