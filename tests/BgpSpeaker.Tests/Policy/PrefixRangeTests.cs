using System.Net;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Policy;

public class PrefixRangeTests
{
    [Theory]
    [InlineData("10.244.0.0/16 le 26", "10.244.3.0/26", true)]
    [InlineData("10.244.0.0/16 le 26", "10.244.3.0/27", false)]
    [InlineData("10.244.0.0/16 le 26", "10.245.0.0/26", false)]
    [InlineData("10.244.0.0/16 ge 24 le 26", "10.244.0.0/16", false)]
    [InlineData("10.244.0.0/16 ge 24 le 26", "10.244.9.0/24", true)]
    [InlineData("10.244.0.0/16", "10.244.1.1/32", true)]
    [InlineData("fd00:244::/48 le 122", "fd00:244:0:1::/122", true)]
    [InlineData("fd00:244::/48 le 122", "10.244.1.0/26", false)]
    public void Matches_PrefixAndLength_AsExpected(string range, string prefix, bool expected) =>
        Assert.Equal(expected, PrefixRange.Parse(range).Matches(BgpPrefix.Parse(prefix)));

    [Fact]
    public void Parse_LengthShorterThanPrefix_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefixRange.Parse("10.244.0.0/16 ge 8"));

    [Fact]
    public void ImportPolicy_Default_AcceptsNothing() =>
        Assert.False(new ImportPolicy().Accepts(BgpPrefix.Parse("10.244.1.0/26")));

    [Fact]
    public void ImportPolicy_AllowedPool_AcceptsInsideOnly()
    {
        var policy = new ImportPolicy { Allowed = [PrefixRange.Parse("10.244.0.0/16 le 32")] };
        Assert.True(policy.Accepts(BgpPrefix.Parse("10.244.1.0/26")));
        Assert.False(policy.Accepts(BgpPrefix.Parse("0.0.0.0/0")));
    }
}
