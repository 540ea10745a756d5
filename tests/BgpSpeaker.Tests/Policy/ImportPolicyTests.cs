using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Policy;

public class ImportPolicyTests
{
    private static readonly ImportPolicy TorPeer = ImportPolicy.AcceptAll with
    {
        Refused = [PrefixRange.Parse("10.65.1.0/26"), PrefixRange.Parse("198.18.0.0/24")],
    };

    [Theory]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.10.0.0/16", true)]
    [InlineData("10.65.9.0/26", true)]
    [InlineData("10.65.0.0/16", true)]
    [InlineData("10.65.1.0/26", false)]
    [InlineData("10.65.1.7/32", false)]
    [InlineData("198.18.0.128/25", false)]
    [InlineData("198.18.0.0/16", true)]
    public void Accepts_RefusedRanges_RefuseOnlyPrefixesInsideThem(string prefix, bool expected) =>
        Assert.Equal(expected, TorPeer.Accepts(BgpPrefix.Parse(prefix)));

    [Fact]
    public void Equals_SameRangesInNewLists_Equal()
    {
        var a = new ImportPolicy { Allowed = [PrefixRange.Parse("10.65.0.0/16")], Refused = [PrefixRange.Parse("10.65.1.0/26")], MaxPrefixes = 5 };
        var b = new ImportPolicy { Allowed = [PrefixRange.Parse("10.65.0.0/16")], Refused = [PrefixRange.Parse("10.65.1.0/26")], MaxPrefixes = 5 };

        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Refused = [] });
        Assert.NotEqual(a, b with { MaxPrefixes = 6 });
    }

    [Theory]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.65.9.0/26", false)]
    [InlineData("10.10.0.0/16", true)]
    [InlineData("10.65.1.0/26", false)]
    public void Accepts_Rules_FirstMatchDecidesThenTheDefaults(string prefix, bool expected)
    {
        // A ToR filter: its default route, nothing inside the pool; the rest falls through to
        // accept-all. The node's own block stays refused whatever a rule says.
        var policy = TorPeer with
        {
            Rules =
            [
                new FilterRule(false, FilterAction.Accept, BgpPrefix.Parse("0.0.0.0/0"), FilterMatch.Equal),
                new FilterRule(false, FilterAction.Accept, BgpPrefix.Parse("10.65.1.0/26"), FilterMatch.Equal),
                new FilterRule(false, FilterAction.Reject, BgpPrefix.Parse("10.65.0.0/16"), FilterMatch.In),
            ],
        };

        Assert.Equal(expected, policy.Accepts(BgpPrefix.Parse(prefix)));
    }

    [Fact]
    public void Accepts_AcceptRuleOutsideTheDefaults_Accepts()
    {
        var mesh = new ImportPolicy { Allowed = [PrefixRange.Parse("10.65.0.0/16")], Rules = [new FilterRule(false, FilterAction.Accept, BgpPrefix.Parse("0.0.0.0/0"), FilterMatch.Equal)] };

        Assert.True(mesh.Accepts(BgpPrefix.Parse("0.0.0.0/0")));
        Assert.False(mesh.Accepts(BgpPrefix.Parse("10.10.0.0/16")));
    }

    [Fact]
    public void Equals_SameRulesInNewLists_EqualOtherRulesOrAllowance_NotEqual()
    {
        static ImportPolicy Make(FilterAction action, int allowed) => new()
        {
            Rules = [new FilterRule(false, action, BgpPrefix.Parse("0.0.0.0/0"), FilterMatch.Equal, Name: "f importV4[0]")],
            AllowedLocalAsOccurrences = allowed,
        };

        Assert.Equal(Make(FilterAction.Accept, 1), Make(FilterAction.Accept, 1));
        Assert.NotEqual(Make(FilterAction.Accept, 1), Make(FilterAction.Reject, 1));
        Assert.NotEqual(Make(FilterAction.Accept, 1), Make(FilterAction.Accept, 0));
    }
}
