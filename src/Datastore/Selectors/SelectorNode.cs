using System.Text;

namespace RoutedNet.Datastore.Selectors;

/// <summary>
/// The parsed form of a <see cref="Selector"/>: a tree evaluated straight over a label map (no
/// allocation per match), and printed back as the canonical text. The node kinds are small and
/// only make sense together, so they share this file.
/// </summary>
internal abstract class SelectorNode
{
    // Binding strength for printing: || < && < unary.
    protected const int OrLevel = 0;
    protected const int AndLevel = 1;
    protected const int UnaryLevel = 2;

    public abstract bool Matches(IReadOnlyDictionary<string, string> labels);

    /// <summary>Prints the node, in parentheses when it binds looser than <paramref name="context"/> needs.</summary>
    public abstract void Write(StringBuilder text, int context);

    protected static void Quote(StringBuilder text, string value)
    {
        // Calico strings have no escapes: a value with a double quote is written in single quotes.
        var quote = value.Contains('"', StringComparison.Ordinal) ? '\'' : '"';
        text.Append(quote).Append(value).Append(quote);
    }
}

internal sealed class AllNode : SelectorNode
{
    public static readonly AllNode Instance = new();

    public override bool Matches(IReadOnlyDictionary<string, string> labels) => true;

    public override void Write(StringBuilder text, int context) => text.Append("all()");
}

/// <summary>
/// Calico's global(): only non-namespaced entities (host endpoints, global network sets), of which
/// RoutedNet has none yet, so it selects nothing.
/// </summary>
internal sealed class GlobalNode : SelectorNode
{
    public static readonly GlobalNode Instance = new();

    public override bool Matches(IReadOnlyDictionary<string, string> labels) => false;

    public override void Write(StringBuilder text, int context) => text.Append("global()");
}

internal sealed class HasNode(string key) : SelectorNode
{
    public override bool Matches(IReadOnlyDictionary<string, string> labels) => labels.ContainsKey(key);

    public override void Write(StringBuilder text, int context) => text.Append("has(").Append(key).Append(')');
}

internal enum CompareOp
{
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
}

/// <summary>key == "v", key != "v" (true when the key is absent, as in Calico), contains, starts with, ends with.</summary>
internal sealed class CompareNode(string key, CompareOp op, string value) : SelectorNode
{
    public override bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(key, out var actual);
        return op switch
        {
            CompareOp.Equal => present && actual == value,
            CompareOp.NotEqual => !present || actual != value,
            CompareOp.Contains => present && actual!.Contains(value, StringComparison.Ordinal),
            CompareOp.StartsWith => present && actual!.StartsWith(value, StringComparison.Ordinal),
            _ => present && actual!.EndsWith(value, StringComparison.Ordinal),
        };
    }

    public override void Write(StringBuilder text, int context)
    {
        text.Append(key).Append(op switch
        {
            CompareOp.Equal => " == ",
            CompareOp.NotEqual => " != ",
            CompareOp.Contains => " contains ",
            CompareOp.StartsWith => " starts with ",
            _ => " ends with ",
        });
        Quote(text, value);
    }
}

/// <summary>key in {..} (the key present with one of the values); key not in {..} (its negation: true when absent).</summary>
internal sealed class SetNode(string key, bool negated, IReadOnlyCollection<string> values) : SelectorNode
{
    private readonly HashSet<string> _values = new(values, StringComparer.Ordinal);

    public override bool Matches(IReadOnlyDictionary<string, string> labels) =>
        (labels.TryGetValue(key, out var actual) && _values.Contains(actual)) != negated;

    public override void Write(StringBuilder text, int context)
    {
        text.Append(key).Append(negated ? " not in {" : " in {");
        var first = true;
        foreach (var value in _values.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Append(", ");
            }
            first = false;
            Quote(text, value);
        }
        text.Append('}');
    }
}

internal sealed class NotNode(SelectorNode inner) : SelectorNode
{
    public override bool Matches(IReadOnlyDictionary<string, string> labels) => !inner.Matches(labels);

    public override void Write(StringBuilder text, int context)
    {
        text.Append('!');
        inner.Write(text, UnaryLevel);
    }
}

/// <summary>&amp;&amp; (<paramref name="isAnd"/>) or || over two or more operands.</summary>
internal sealed class JunctionNode(bool isAnd, IReadOnlyList<SelectorNode> operands) : SelectorNode
{
    private readonly SelectorNode[] _operands = [.. operands];

    public override bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var operand in _operands)
        {
            if (operand.Matches(labels) != isAnd)
            {
                return !isAnd;
            }
        }
        return isAnd;
    }

    public override void Write(StringBuilder text, int context)
    {
        var level = isAnd ? AndLevel : OrLevel;
        var wrap = context > level;
        if (wrap)
        {
            text.Append('(');
        }
        for (var i = 0; i < _operands.Length; i++)
        {
            if (i > 0)
            {
                text.Append(isAnd ? " && " : " || ");
            }
            _operands[i].Write(text, level + 1);
        }
        if (wrap)
        {
            text.Append(')');
        }
    }
}
