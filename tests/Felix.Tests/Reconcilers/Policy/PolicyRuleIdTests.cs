using RoutedNet.Felix.Reconcilers.Policy;

namespace RoutedNet.Felix.Tests.Reconcilers.Policy;

public sealed class PolicyRuleIdTests
{
    [Theory]
    [InlineData("x/allow-web#i0", "x/allow-web", true, 0)]
    [InlineData("deny-all#e12", "deny-all", false, 12)]
    [InlineData("x/knp.default.web#i3", "x/knp.default.web", true, 3)]
    public void TryParse_RuleComment_PolicyDirectionIndex(string comment, string policy, bool ingress, int index)
    {
        Assert.True(PolicyRuleId.TryParse(comment, out var id));
        Assert.Equal(new PolicyRuleId(policy, ingress, index), id);
        Assert.Equal(comment, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tier default: selected, no rule decided")]
    [InlineData("unknown workload interface")]
    [InlineData("#i0")]        // no policy
    [InlineData("x/p#x0")]     // no direction
    [InlineData("x/p#i")]      // no index
    [InlineData("x/p#i-1")]
    [InlineData("x/p#i1a")]
    public void TryParse_OtherComment_False(string? comment) =>
        Assert.False(PolicyRuleId.TryParse(comment, out _));

    [Fact]
    public void Format_IdLongerThanNftKeeps_LosesItsFrontNotTheRule()
    {
        var comment = PolicyRuleId.Format(new string('n', 63) + "/" + new string('p', 63), ingress: false, 7);

        Assert.Equal(127, comment.Length);
        Assert.True(PolicyRuleId.TryParse(comment, out var id));
        Assert.Equal((false, 7), (id.Ingress, id.Index));
    }
}
