using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Validation;

/// <summary>
/// The subset of CEL that x-kubernetes-validations rules may use on the stand-in: `self` and
/// `oldSelf` with field selection, `has(...)`, `size(...)`, int/string/bool/null literals,
/// `== != &lt; &lt;= &gt; &gt;=`, `&amp;&amp; || !` and parentheses. That covers the transition rules
/// (`self == oldSelf`, `self.cidr == oldSelf.cidr`) and simple bounds. Any other form is refused
/// when the CRD is created (<see cref="TryParse"/>), never silently accepted.
/// </summary>
public sealed class CelRule
{
    private abstract record Node;
    private sealed record Literal(object? Value) : Node;
    private sealed record FieldRef(bool Old, IReadOnlyList<string> Path) : Node;
    private sealed record Has(FieldRef Field) : Node;
    private sealed record Size(Node Of) : Node;
    private sealed record Not(Node Of) : Node;
    private sealed record Binary(string Op, Node Left, Node Right) : Node;

    private readonly Node _root;

    private CelRule(Node root, bool usesOldSelf)
    {
        _root = root;
        IsTransition = usesOldSelf;
    }

    /// <summary>A transition rule refers to oldSelf: evaluated on updates where the old value exists.</summary>
    public bool IsTransition { get; }

    public static CelRule? TryParse(string text, out string? error)
    {
        try
        {
            var parser = new Parser(text);
            var node = parser.ParseExpression();
            parser.ExpectEnd();
            error = null;
            return new CelRule(node, parser.UsesOldSelf);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>True when the rule holds; <paramref name="error"/> is set when evaluation failed (e.g. no such key).</summary>
    public bool Evaluate(JsonNode? self, JsonNode? oldSelf, out string? error)
    {
        try
        {
            error = null;
            return Eval(_root, self, oldSelf) is true;
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static object? Eval(Node node, JsonNode? self, JsonNode? oldSelf) => node switch
    {
        Literal l => l.Value,
        FieldRef f => ValueOf(f, self, oldSelf),
        Has h => Resolve(h.Field, self, oldSelf, strict: false).Found,
        Size s => Eval(s.Of, self, oldSelf) switch
        {
            string str => (long)str.Length,
            JsonArray a => (long)a.Count,
            JsonObject o => (long)o.Count,
            _ => throw new InvalidOperationException("no such overload: size"),
        },
        Not n => Eval(n.Of, self, oldSelf) is bool b ? !b : throw new InvalidOperationException("no such overload: !_"),
        Binary { Op: "&&" } b => Eval(b.Left, self, oldSelf) is true && Eval(b.Right, self, oldSelf) is true,
        Binary { Op: "||" } b => Eval(b.Left, self, oldSelf) is true || Eval(b.Right, self, oldSelf) is true,
        Binary b => Compare(b.Op, Eval(b.Left, self, oldSelf), Eval(b.Right, self, oldSelf)),
        _ => throw new InvalidOperationException("unsupported expression"),
    };

    private static object? ValueOf(FieldRef f, JsonNode? self, JsonNode? oldSelf)
    {
        var (found, value) = Resolve(f, self, oldSelf, strict: true);
        return found ? Plain(value) : null;
    }

    private static (bool Found, JsonNode? Value) Resolve(FieldRef f, JsonNode? self, JsonNode? oldSelf, bool strict)
    {
        var node = f.Old ? oldSelf : self;
        foreach (var part in f.Path)
        {
            if (node is JsonObject o && o.TryGetPropertyValue(part, out var next))
            {
                node = next;
            }
            else if (strict)
            {
                throw new InvalidOperationException("no such key: " + part);
            }
            else
            {
                return (false, null);
            }
        }
        return (true, node);
    }

    // Every arm is cast to object: JsonNode converts implicitly from string, bool, long and double,
    // so without the casts the switch's type would be JsonNode and each plain value would be
    // wrapped back into a JsonValue (and then compare unequal to every literal). Numbers stay long
    // when they are integers (a ternary of long and double would make every number a double).
    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (object)v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (object)v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? (object)l
                : (object)double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        _ => (object)node,
    };

    private static bool Compare(string op, object? left, object? right)
    {
        if (op is "==" or "!=")
        {
            var equal = (left, right) switch
            {
                (JsonNode a, JsonNode b) => JsonNode.DeepEquals(a, b),
                (long a, double b) => a == b,
                (double a, long b) => a == b,
                _ => Equals(left, right),
            };
            return op == "==" ? equal : !equal;
        }
        var order = (left, right) switch
        {
            (long a, long b) => a.CompareTo(b),
            (long a, double b) => ((double)a).CompareTo(b),
            (double a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => throw new InvalidOperationException($"no such overload: _{op}_"),
        };
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private sealed class Parser
    {
        private readonly string _text;
        private int _at;

        public Parser(string text) => _text = text;

        public bool UsesOldSelf { get; private set; }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_at < _text.Length)
            {
                throw new FormatException($"unsupported CEL at \"{_text[_at..]}\"");
            }
        }

        public Node ParseExpression()
        {
            var left = ParseAnd();
            while (Accept("||"))
            {
                left = new Binary("||", left, ParseAnd());
            }
            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("&&"))
            {
                left = new Binary("&&", left, ParseUnary());
            }
            return left;
        }

        private Node ParseUnary()
        {
            if (Peek("!") && !Peek("!="))
            {
                _at++;
                return new Not(ParseUnary());
            }
            var left = ParsePrimary();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Accept(op))
                {
                    return new Binary(op, left, ParsePrimary());
                }
            }
            return left;
        }

        private Node ParsePrimary()
        {
            SkipSpace();
            if (Accept("("))
            {
                var inner = ParseExpression();
                Expect(")");
                return inner;
            }
            if (_at < _text.Length && _text[_at] is '"' or '\'')
            {
                var quote = _text[_at];
                var end = _text.IndexOf(quote, _at + 1);
                if (end < 0)
                {
                    throw new FormatException("unterminated string literal");
                }
                var value = _text[(_at + 1)..end];
                _at = end + 1;
                return new Literal(value);
            }
            if (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '-'))
            {
                var start = _at++;
                while (_at < _text.Length && char.IsDigit(_text[_at]))
                {
                    _at++;
                }
                return new Literal(long.Parse(_text[start.._at], CultureInfo.InvariantCulture));
            }
            var word = Identifier();
            switch (word)
            {
                case "true":
                    return new Literal(true);
                case "false":
                    return new Literal(false);
                case "null":
                    return new Literal(null);
                case "has":
                    Expect("(");
                    var field = ParsePrimary() as FieldRef ?? throw new FormatException("has() takes a field selection");
                    Expect(")");
                    return new Has(field);
                case "size":
                    Expect("(");
                    var of = ParseExpression();
                    Expect(")");
                    return new Size(of);
                case "self" or "oldSelf":
                    UsesOldSelf |= word == "oldSelf";
                    var path = new List<string>();
                    while (Accept("."))
                    {
                        path.Add(Identifier());
                    }
                    if (Peek("(") || Peek("["))
                    {
                        throw new FormatException($"unsupported CEL at \"{_text[_at..]}\" (functions, macros and indexing are not implemented by the stand-in)");
                    }
                    return new FieldRef(word == "oldSelf", path);
                default:
                    throw new FormatException($"unsupported CEL identifier \"{word}\"");
            }
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _at;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_'))
            {
                _at++;
            }
            return start == _at ? throw new FormatException($"unsupported CEL at \"{_text[start..]}\"") : _text[start.._at];
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
        }

        private bool Peek(string token)
        {
            SkipSpace();
            return string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0;
        }

        private bool Accept(string token)
        {
            if (Peek(token))
            {
                _at += token.Length;
                return true;
            }
            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new FormatException($"expected '{token}' at \"{_text[_at..]}\"");
            }
        }
    }
}
