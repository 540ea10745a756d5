using System.Text;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Selectors;

/// <summary>
/// A compiled label selector in Calico's syntax (<c>==</c>, <c>!=</c>, <c>in {..}</c>,
/// <c>not in {..}</c>, <c>has(k)</c>, <c>!has(k)</c>, <c>all()</c>, <c>global()</c>, <c>contains</c>,
/// <c>starts with</c>, <c>ends with</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, parentheses; strings in
/// single or double quotes). Kubernetes LabelSelectors compile to the same tree
/// (<see cref="FromLabelSelector"/>). An absent key equals no value, so <c>k != "v"</c> and
/// <c>k not in {..}</c> match an object without k, as in Calico and Kubernetes. Immutable, thread-safe;
/// two selectors are equal when their canonical <see cref="Text"/> is.
/// </summary>
public sealed class Selector : IEquatable<Selector>
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly SelectorNode _root;

    private Selector(SelectorNode root)
    {
        _root = root;
        var text = new StringBuilder();
        root.Write(text, 0);
        Text = text.ToString();
    }

    /// <summary>Selects everything.</summary>
    public static Selector All { get; } = new(AllNode.Instance);

    /// <summary>The canonical form: what two equal selectors print alike.</summary>
    public string Text { get; }

    /// <summary>Whether this is all() (an empty selector).</summary>
    public bool IsAll => _root is AllNode;

    /// <summary>Parses Calico syntax; null, empty or blank is all(). <see cref="SelectorException"/> (one line, with the position) on an error.</summary>
    public static Selector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }
        var root = new SelectorParser(text).ParseAll();
        return root is AllNode ? All : new Selector(root);
    }

    /// <summary>
    /// A Kubernetes LabelSelector: every matchLabels pair (<c>k == "v"</c>) and every matchExpressions
    /// requirement (In, NotIn, Exists, DoesNotExist) must hold; null or empty selects everything.
    /// <see cref="SelectorException"/> for an unknown operator or values that do not fit it.
    /// </summary>
    public static Selector FromLabelSelector(LabelSelector? selector)
    {
        if (selector is null)
        {
            return All;
        }
        var terms = new List<SelectorNode>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            terms.Add(new CompareNode(CheckKey(key), CompareOp.Equal, value ?? ""));
        }
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            terms.Add(Requirement(requirement));
        }
        return terms.Count switch
        {
            0 => All,
            1 => new Selector(terms[0]),
            _ => new Selector(new JunctionNode(true, terms)),
        };
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) => _root.Matches(labels ?? NoLabels);

    public bool Equals(Selector? other) => other is not null && other.Text == Text;

    public override bool Equals(object? obj) => obj is Selector other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text;

    private static SelectorNode Requirement(LabelSelectorRequirement requirement)
    {
        var key = CheckKey(requirement.Key);
        var values = requirement.Values ?? [];
        switch (requirement.Operator)
        {
            case LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn:
                if (values.Count == 0)
                {
                    throw new SelectorException($"matchExpressions key \"{key}\": operator {requirement.Operator} needs at least one value");
                }
                return new SetNode(key, requirement.Operator == LabelSelectorRequirement.NotIn, values);
            case LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist:
                if (values.Count != 0)
                {
                    throw new SelectorException($"matchExpressions key \"{key}\": operator {requirement.Operator} takes no values");
                }
                return requirement.Operator == LabelSelectorRequirement.Exists ? new HasNode(key) : new NotNode(new HasNode(key));
            default:
                throw new SelectorException(
                    $"matchExpressions key \"{key}\": unknown operator \"{requirement.Operator}\" (In, NotIn, Exists or DoesNotExist)");
        }
    }

    private static string CheckKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            ? key
            : throw new SelectorException($"label key \"{key}\" is invalid: use letters, digits, '-', '_', '.' and one '/'");
}
