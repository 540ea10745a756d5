using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Selectors;

/// <summary>
/// The labelSelector query grammar of k8s.io/apimachinery/pkg/labels: comma-separated
/// requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k`,
/// `k>n`, `k<n`. A parse error is 400 BadRequest, as kube-apiserver answers it.
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, Greater, Less }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var result = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            result.Add(ParseRequirement(part.Trim(), text));
        }
        return new LabelSelector(result);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Status.BadRequest($"unable to parse requirement: found '', expected: identifier");
        }
        if (part[0] == '!')
        {
            return new Requirement(Key(part[1..].Trim(), whole), Op.DoesNotExist, []);
        }
        foreach (var (token, op) in new[] { (" notin ", Op.NotIn), (" in ", Op.In) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var rest = part[(at + token.Length)..].Trim();
                if (!rest.StartsWith('(') || !rest.EndsWith(')'))
                {
                    throw Status.BadRequest($"unable to parse requirement: found '{rest}', expected: '('");
                }
                var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToList();
                return new Requirement(Key(part[..at].Trim(), whole), op, values);
            }
        }
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals), (">", Op.Greater), ("<", Op.Less) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = part[(at + token.Length)..].Trim();
                if (op is Op.Greater or Op.Less && !long.TryParse(value, out _))
                {
                    throw Status.BadRequest($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                }
                return new Requirement(Key(part[..at].Trim(), whole), op, [value]);
            }
        }
        return new Requirement(Key(part, whole), Op.Exists, []);
    }

    private static string Key(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ','))
        {
            throw Status.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in selector \"{whole}\"");
        }
        return key;
    }

    public bool Matches(JsonObject obj)
    {
        if (_requirements.Count == 0)
        {
            return true;
        }
        var labels = obj["metadata"]?["labels"] as JsonObject;
        foreach (var req in _requirements)
        {
            var has = labels is not null && labels.TryGetPropertyValue(req.Key, out var node) && node is not null;
            var value = has ? labels![req.Key]!.GetValue<string>() : null;
            var ok = req.Op switch
            {
                Op.Equals => has && value == req.Values[0],
                Op.NotEquals => !has || value != req.Values[0],
                Op.In => has && req.Values.Contains(value),
                Op.NotIn => !has || !req.Values.Contains(value),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                Op.Greater => has && long.TryParse(value, out var g) && g > long.Parse(req.Values[0], System.Globalization.CultureInfo.InvariantCulture),
                Op.Less => has && long.TryParse(value, out var l) && l < long.Parse(req.Values[0], System.Globalization.CultureInfo.InvariantCulture),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
