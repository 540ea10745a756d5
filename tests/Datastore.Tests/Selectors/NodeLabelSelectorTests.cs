using RoutedNet.Datastore.Selectors;

namespace RoutedNet.Datastore.Tests.Selectors;

public class NodeLabelSelectorTests
{
    private static readonly Dictionary<string, string> R1 = new() { ["rack"] = "r1", ["zone"] = "a" };

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("all()", true)]
    [InlineData("rack == \"r1\"", true)]
    [InlineData("rack == 'r2'", false)]
    [InlineData("rack != \"r2\"", true)]
    [InlineData("rack != \"r1\"", false)]
    [InlineData("missing != \"x\"", true)]
    [InlineData("missing == \"x\"", false)]
    [InlineData("has(rack)", true)]
    [InlineData("has(missing)", false)]
    [InlineData("!has(missing)", true)]
    [InlineData("rack == \"r1\" && zone == \"a\"", true)]
    [InlineData("rack == \"r1\" && zone == \"b\"", false)]
    [InlineData("rack == \"r9\" || zone == \"a\"", true)]
    [InlineData("rack == \"r9\" || zone == \"b\" && has(rack)", false)]
    [InlineData("(rack == \"r9\" || zone == \"a\") && has(rack)", true)]
    [InlineData("!(rack == \"r1\")", false)]
    public void Matches_Expression_AgreesWithLabels(string? selector, bool expected) =>
        Assert.Equal(expected, Selector.Parse(selector).Matches(R1));

    [Fact]
    public void Matches_NodeWithoutLabels_OnlyLabelFreeSelectorsMatch()
    {
        Assert.True(Selector.Parse("all()").Matches(null));
        Assert.False(Selector.Parse("has(rack)").Matches(null));
    }

    [Theory]
    [InlineData("rack ==")]
    [InlineData("rack == r1")]
    [InlineData("rack == \"r1")]
    [InlineData("all(")]
    [InlineData("rack == \"r1\" &&")]
    [InlineData("rack = \"r1\"")]
    [InlineData("(has(rack)")]
    [InlineData("has(rack) x")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingSelector(string selector)
    {
        var e = Assert.ThrowsAny<FormatException>(() => Selector.Parse(selector));
        Assert.Contains(selector, e.Message, StringComparison.Ordinal);
    }
}
