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
}
