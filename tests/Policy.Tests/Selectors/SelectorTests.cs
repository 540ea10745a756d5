using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Selectors;

namespace RoutedNet.Policy.Tests.Selectors;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "prod-eu" };

    [Theory]
    [InlineData("app == \"web\"", true)]
    [InlineData("app == 'web'", true)]
    [InlineData("app == 'db'", false)]
    [InlineData("app != 'db'", true)]
    [InlineData("missing != 'x'", true)]
    [InlineData("missing == 'x'", false)]
    [InlineData("app in {'web', 'api'}", true)]
    [InlineData("app in {}", false)]
    [InlineData("app not in {'web'}", false)]
    [InlineData("missing not in {'web'}", true)]
    [InlineData("missing in {'web'}", false)]
    [InlineData("has(app)", true)]
    [InlineData("!has(app)", false)]
    [InlineData("!has(missing)", true)]
    [InlineData("all()", true)]
    [InlineData("", true)]
    [InlineData("global()", false)]
    [InlineData("app == 'web' && tier == 'front'", true)]
    [InlineData("app == 'web' && tier == 'back'", false)]
    [InlineData("app == 'db' || tier == 'front'", true)]
    [InlineData("app == 'db' || tier == 'front' && env == 'x'", false)]
    [InlineData("(app == 'db' || tier == 'front') && has(env)", true)]
    [InlineData("!(app == 'web')", false)]
    [InlineData("!!has(app)", true)]
    [InlineData("env contains 'od-e'", true)]
    [InlineData("env starts with 'prod'", true)]
    [InlineData("env ends with 'eu'", true)]
    [InlineData("env ends with 'us'", false)]
    public void Matches_CalicoSyntax_AsCalicoEvaluates(string text, bool expected) =>
        Assert.Equal(expected, Selector.Parse(text).Matches(Web));

    [Theory]
    [InlineData("app == 'web'", "app == \"web\"")]
    [InlineData("  has( app )", "has(app)")]
    [InlineData("a in {'y','x'}", "a in {\"x\", \"y\"}")]
    [InlineData("(a == 'x' || b == 'y') && !has(c)", "(a == \"x\" || b == \"y\") && !has(c)")]
    [InlineData("a == 'x' || b == 'y' && c == 'z'", "a == \"x\" || b == \"y\" && c == \"z\"")]
    [InlineData("!(a == 'x' && b == 'y')", "!(a == \"x\" && b == \"y\")")]
    [InlineData("a == 'say \"hi\"'", "a == 'say \"hi\"'")]
    [InlineData("", "all()")]
    public void Text_IsCanonical_AndParsesBackToItself(string text, string canonical)
    {
        var selector = Selector.Parse(text);
        Assert.Equal(canonical, selector.Text);
        Assert.Equal(selector, Selector.Parse(selector.Text));
    }

    [Theory]
    [InlineData("app ==", "expected a quoted value at position 6")]
    [InlineData("app = 'x'", "at position 4")]
    [InlineData("has(app", "expected \")\" at position 7")]
    [InlineData("app == 'x' &&", "expected an expression at position 13")]
    [InlineData("app == 'x", "unterminated string at position 7")]
    [InlineData("foo()", "unknown function \"foo\" at position 0")]
    [InlineData("app not 'x'", "expected \"in\" after \"not\"")]
    [InlineData("app == 'x' extra", "unexpected text at position 11")]
    [InlineData("app in {'x'", "expected \"}\"")]
    [InlineData("(app == 'x'", "expected \")\"")]
    public void Parse_Malformed_OneLineNamingThePosition(string text, string expected)
    {
        var e = Assert.Throws<SelectorException>(() => Selector.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"selector \"{text}\": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Position >= 0);
    }

    [Fact]
    public void FromLabelSelector_MatchLabelsAndExpressions_AllMustHold()
    {
        var selector = Selector.FromLabelSelector(new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["tier"] = "front" },
            MatchExpressions =
            [
                new LabelSelectorRequirement { Key = "app", Operator = "In", Values = ["web", "api"] },
                new LabelSelectorRequirement { Key = "env", Operator = "NotIn", Values = ["dev"] },
                new LabelSelectorRequirement { Key = "env", Operator = "Exists" },
                new LabelSelectorRequirement { Key = "legacy", Operator = "DoesNotExist" },
            ],
        });
        Assert.Equal("tier == \"front\" && app in {\"api\", \"web\"} && env not in {\"dev\"} && has(env) && !has(legacy)", selector.Text);
        Assert.True(selector.Matches(Web));
        Assert.False(selector.Matches(new Dictionary<string, string>(Web) { ["legacy"] = "1" }));
        Assert.False(selector.Matches(new Dictionary<string, string>(Web) { ["env"] = "dev" }));
    }

    [Fact]
    public void FromLabelSelector_NotIn_MatchesAnObjectWithoutTheKey()
    {
        var selector = Selector.FromLabelSelector(new LabelSelector
        {
            MatchExpressions = [new LabelSelectorRequirement { Key = "ns", Operator = "NotIn", Values = ["x"] }],
        });
        Assert.True(selector.Matches(new Dictionary<string, string>()));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["ns"] = "x" }));
    }

    [Fact]
    public void FromLabelSelector_EmptyOrNull_SelectsEverything()
    {
        Assert.True(Selector.FromLabelSelector(new LabelSelector()).IsAll);
        Assert.True(Selector.FromLabelSelector(null).IsAll);
        Assert.True(Selector.FromLabelSelector(new LabelSelector()).Matches(Web));
    }

    [Theory]
    [InlineData("Within", new[] { "a" }, "unknown operator \"Within\"")]
    [InlineData("In", new string[0], "operator In needs at least one value")]
    [InlineData("Exists", new[] { "a" }, "operator Exists takes no values")]
    public void FromLabelSelector_BadRequirement_OneLine(string op, string[] values, string expected)
    {
        var e = Assert.Throws<SelectorException>(() => Selector.FromLabelSelector(new LabelSelector
        {
            MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = op, Values = values }],
        }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
