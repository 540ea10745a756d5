using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Policy;

public class FilterRuleTests
{
    private static FilterRule V4(FilterMatch match, string? cidr = "10.244.0.0/16", int? min = null, int? max = null, bool learnedOnly = false) =>
        new(IPv6: false, FilterAction.Accept, cidr is null ? null : BgpPrefix.Parse(cidr), match, min, max, learnedOnly);

    [Theory]
    [InlineData(FilterMatch.Equal, "10.244.0.0/16", true)]
    [InlineData(FilterMatch.Equal, "10.244.1.0/26", false)]
    [InlineData(FilterMatch.NotEqual, "10.244.0.0/16", false)]
    [InlineData(FilterMatch.NotEqual, "10.244.1.0/26", true)]
    [InlineData(FilterMatch.In, "10.244.0.0/16", true)]
    [InlineData(FilterMatch.In, "10.244.1.0/26", true)]
    [InlineData(FilterMatch.In, "10.0.0.0/8", false)]
    [InlineData(FilterMatch.In, "10.245.0.0/24", false)]
    [InlineData(FilterMatch.NotIn, "10.244.1.0/26", false)]
    [InlineData(FilterMatch.NotIn, "10.0.0.0/8", true)]
    public void Matches_Operator_ComparesThePrefixWithTheCidr(FilterMatch match, string prefix, bool expected) =>
        Assert.Equal(expected, V4(match).Matches(BgpPrefix.Parse(prefix), learned: true));

    [Theory]
    [InlineData("10.244.1.0/23", false)]
    [InlineData("10.244.1.0/24", true)]
    [InlineData("10.244.1.0/26", true)]
    [InlineData("10.244.1.0/27", false)]
    public void Matches_PrefixLength_BothEndsIncluded(string prefix, bool expected) =>
        Assert.Equal(expected, V4(FilterMatch.In, min: 24, max: 26).Matches(BgpPrefix.Parse(prefix), learned: true));

    [Fact]
    public void Matches_NoCidr_EveryPrefixOfItsFamilyOnly()
    {
        var rule = V4(FilterMatch.In, cidr: null);

        Assert.True(rule.Matches(BgpPrefix.Parse("0.0.0.0/0"), learned: false));
        Assert.True(rule.Matches(BgpPrefix.Parse("192.0.2.1/32"), learned: true));
        Assert.False(rule.Matches(BgpPrefix.Parse("::/0"), learned: true));
        Assert.False(rule.Matches(BgpPrefix.Parse("fd00::/64"), learned: true));
    }

    [Fact]
    public void Matches_RemotePeersSource_OnlyLearnedRoutes()
    {
        var rule = V4(FilterMatch.In, learnedOnly: true);

        Assert.True(rule.Matches(BgpPrefix.Parse("10.244.1.0/26"), learned: true));
        Assert.False(rule.Matches(BgpPrefix.Parse("10.244.1.0/26"), learned: false));
    }

    [Fact]
    public void FirstMatch_SeveralMatch_TheFirstInOrderDecides()
    {
        FilterRule[] rules =
        [
            new(false, FilterAction.Accept, BgpPrefix.Parse("0.0.0.0/0"), FilterMatch.Equal, Name: "default"),
            new(false, FilterAction.Reject, BgpPrefix.Parse("10.244.0.0/16"), FilterMatch.In, Name: "pool"),
            new(false, FilterAction.Accept, Name: "rest"),
        ];

        Assert.Equal("default", FilterRules.FirstMatch(rules, BgpPrefix.Parse("0.0.0.0/0"), learned: true)?.Name);
        Assert.Equal("pool", FilterRules.FirstMatch(rules, BgpPrefix.Parse("10.244.7.0/26"), learned: true)?.Name);
        Assert.Equal("rest", FilterRules.FirstMatch(rules, BgpPrefix.Parse("10.10.0.0/16"), learned: true)?.Name);
        Assert.Null(FilterRules.FirstMatch(rules, BgpPrefix.Parse("fd00::/64"), learned: true));
    }
}
