using RoutedNet.Felix.Datastore;

namespace RoutedNet.Felix.Tests.Datastore;

public sealed class NodeSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["rack"] = "r1", ["zone"] = "a" };

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("all()", true)]
    [InlineData("rack == \"r1\"", true)]
    [InlineData("rack == 'r2'", false)]
    [InlineData("rack != \"r2\"", true)]
    [InlineData("has(zone)", true)]
    [InlineData("!has(zone)", false)]
    [InlineData("has(rack) && zone == \"a\"", true)]
    [InlineData("has(rack) && zone == \"b\"", false)]
    [InlineData("missing != \"x\"", true)]
    public void Matches_Expression_AgainstLabels(string? selector, bool expected)
    {
        Assert.Equal(expected, NodeSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("rack in {r1}")]
    [InlineData("rack == r1")]
    [InlineData("rack == \"r1\" || zone == \"a\"")]
    public void Parse_Unsupported_Throws(string selector)
    {
        Assert.Throws<FormatException>(() => NodeSelector.Parse(selector));
    }
}
