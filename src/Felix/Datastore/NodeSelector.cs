using System.Text.RegularExpressions;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The label selectors BGPPeer.nodeSelector uses, in Calico's syntax, the subset operators write:
/// <c>all()</c>, <c>key == "v"</c>, <c>key != "v"</c>, <c>has(key)</c>, <c>!has(key)</c>, joined by
/// <c>&amp;&amp;</c>. An empty selector matches every node. Anything else is rejected, so a typo
/// never silently peers every node (the BGPPeer is skipped and logged instead).
/// </summary>
public sealed partial class NodeSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _terms;

    private NodeSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> terms) => _terms = terms;

    public static NodeSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all()")
        {
            return new NodeSelector([]);
        }
        var terms = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in text.Split("&&"))
        {
            terms.Add(ParseTerm(part.Trim(), text));
        }
        return new NodeSelector(terms);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        return _terms.All(term => term(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term, string whole)
    {
        if (term == "all()")
        {
            return _ => true;
        }
        var has = HasPattern().Match(term);
        if (has.Success)
        {
            var key = has.Groups[2].Value;
            var negated = has.Groups[1].Success;
            return labels => labels.ContainsKey(key) != negated;
        }
        var compare = ComparePattern().Match(term);
        if (compare.Success)
        {
            var key = compare.Groups[1].Value;
            var value = compare.Groups[3].Value;
            var equal = compare.Groups[2].Value == "==";
            return labels => (labels.TryGetValue(key, out var actual) && actual == value) == equal;
        }
        throw new FormatException($"unsupported selector term '{term}' in '{whole}' (use all(), k == \"v\", k != \"v\", has(k), !has(k), joined by &&)");
    }

    [GeneratedRegex(@"^(!)?\s*has\(\s*([A-Za-z0-9._/-]+)\s*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex HasPattern();

    [GeneratedRegex(@"^([A-Za-z0-9._/-]+)\s*(==|!=)\s*[""']([^""']*)[""']$", RegexOptions.CultureInvariant)]
    private static partial Regex ComparePattern();
}
