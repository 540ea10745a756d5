namespace RoutedNet.Datastore.Selectors;

/// <summary>
/// A label selector over node labels, in the Calico spelling: <c>all()</c>, <c>has(rack)</c>,
/// <c>rack == "r1"</c>, <c>rack != 'r2'</c>, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses
/// (&amp;&amp; binds tighter than ||). An empty or null selector means <c>all()</c>. A key that is
/// absent is not equal to any value, so <c>rack != "r1"</c> matches a node without a rack label
/// (as in Calico).
/// </summary>
public sealed class NodeSelector
{
    private readonly Func<IReadOnlyDictionary<string, string>, bool> _matches;

    private NodeSelector(string text, Func<IReadOnlyDictionary<string, string>, bool> matches)
    {
        Text = text;
        _matches = matches;
    }

    public static NodeSelector All { get; } = new("all()", _ => true);

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; <see cref="FormatException"/> with the position of the first error.</summary>
    public static NodeSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == All.Text)
        {
            return All;
        }
        var parser = new SelectorParser(text);
        return new NodeSelector(text, parser.ParseAll());
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) =>
        _matches(labels ?? EmptyLabels);

    public override string ToString() => Text;

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}
