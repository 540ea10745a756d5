using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class BgpPrefixTests
{
    [Theory]
    [InlineData("10.244.1.0/24", "18 0af401")]
    [InlineData("0.0.0.0/0", "00")]
    [InlineData("10.244.2.128/25", "19 0af40280")]
    [InlineData("192.0.2.1/32", "20 c0000201")]
    [InlineData("2001:db8::/32", "20 20010db8")]
    [InlineData("2001:db8:0:1::/64", "40 20010db800000001")]
    [InlineData("::/0", "00")]
    public void Nlri_RoundTrips(string prefix, string nlri)
    {
        var parsed = BgpPrefix.Parse(prefix);
        var buffer = new byte[17];

        var written = parsed.WriteNlri(buffer);

        Assert.Equal(Hex.Of(Hex.Bytes(nlri)), Hex.Of(buffer.AsSpan(0, written)));
        Assert.True(BgpPrefix.TryReadNlri(Hex.Bytes(nlri), parsed.IsIPv6, out var read, out var consumed));
        Assert.Equal(parsed, read);
        Assert.Equal(written, consumed);
        Assert.Equal(prefix, read.ToString());
    }

    [Fact]
    public void TryReadNlri_HostBitsSet_Cleared()
    {
        // 10.244.255.0/23 on the wire: the last bit is past the length and irrelevant (RFC 4271 §4.3).
        Assert.True(BgpPrefix.TryReadNlri(Hex.Bytes("17 0af4ff"), false, out var dirty, out _));

        Assert.Equal(BgpPrefix.Parse("10.244.254.0/23"), dirty);
        Assert.Equal(BgpPrefix.Parse("10.244.255.0/23"), dirty);
        Assert.Equal("10.244.254.0/23", dirty.ToString());
    }

    [Theory]
    [InlineData("21 0af40100 00", false)] // /33
    [InlineData("81 20010db8000000000000000000000000 00", true)] // /129
    [InlineData("18 0af4", false)] // 3 octets announced, 2 present
    [InlineData("", false)]
    public void TryReadNlri_Invalid_False(string nlri, bool isIPv6)
    {
        Assert.False(BgpPrefix.TryReadNlri(Hex.Bytes(nlri), isIPv6, out _, out _));
    }

    [Fact]
    public void Contains_LongerPrefixInside_True()
    {
        var pool = BgpPrefix.Parse("10.244.0.0/16");

        Assert.True(pool.Contains(BgpPrefix.Parse("10.244.7.0/26")));
        Assert.False(pool.Contains(BgpPrefix.Parse("10.245.0.0/26")));
        Assert.False(pool.Contains(BgpPrefix.Parse("10.0.0.0/8")));
        Assert.False(pool.Contains(BgpPrefix.Parse("::/0")));
    }

    [Fact]
    public void Conversions_IPNetworkAndNumbers_Agree()
    {
        var prefix = BgpPrefix.FromIPNetwork(IPNetwork.Parse("2001:db8:1::/48"));

        Assert.Equal(IPNetwork.Parse("2001:db8:1::/48"), prefix.ToIPNetwork());
        Assert.Equal(prefix, BgpPrefix.FromIpv6(UInt128.Parse("42540766411283801782723599580828532736", System.Globalization.CultureInfo.InvariantCulture), 48));
        Assert.Equal(BgpPrefix.Parse("10.244.1.0/24"), BgpPrefix.FromIpv4(0x0af40100, 24));
        Assert.Equal(0x0af40100u, BgpPrefix.Parse("10.244.1.0/24").Ipv4Address);
        Assert.True(BgpPrefix.Parse("10.0.0.0/8") < BgpPrefix.Parse("10.0.0.0/9"));
        Assert.True(BgpPrefix.Parse("255.0.0.0/8") < BgpPrefix.Parse("::/0"));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("nonsense/8")]
    public void TryParse_Invalid_False(string text)
    {
        Assert.False(BgpPrefix.TryParse(text, out _));
    }

    [Theory]
    [InlineData("100.64.0.0/32", 1u)] // a sorted table of /32s
    [InlineData("10.0.0.0/24", 256u)] // of /24s: neighbours by network number, not by address
    public void GetHashCode_NeighbouringPrefixes_NeighbouringDistinctCodes(string first, uint step)
    {
        var start = BgpPrefix.Parse(first);
        // 4096 neighbours from a run's start: one run, so codes are consecutive (neighbouring buckets).
        var runStart = start.Ipv4Address & ~(4095u * step);
        var codes = Enumerable.Range(0, 4096)
            .Select(i => BgpPrefix.FromIpv4(runStart + (uint)i * step, start.Length).GetHashCode())
            .ToList();

        Assert.Equal(Enumerable.Range(codes[0], 4096), codes);
    }

    [Fact]
    public void GetHashCode_SameAddressOtherLengthOrFamily_OtherCode()
    {
        string[] prefixes = ["10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.0.0/32", "::a00:0/104", "2001:db8::/32", "2001:db8::/64", "2001:db8::/96", "2001:db8::/128"];

        Assert.Equal(prefixes.Length, prefixes.Select(p => BgpPrefix.Parse(p).GetHashCode()).Distinct().Count());
    }

    [Fact]
    public void GetHashCode_ManyRuns_SpreadOverBuckets()
    {
        // 256 runs of a sorted /32 table: each run lands at its own place, not on top of another.
        var buckets = Enumerable.Range(0, 256)
            .Select(run => (uint)BgpPrefix.FromIpv4(0x64400000u + ((uint)run << 12), 32).GetHashCode() >> 12)
            .Distinct()
            .Count();

        Assert.True(buckets > 250, $"{buckets} distinct run positions of 256");
    }
}
