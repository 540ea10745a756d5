namespace RoutedNet.Datastore.Selectors;

/// <summary>Recursive descent over the selector grammar of <see cref="NodeSelector"/>, building a predicate.</summary>
internal ref struct SelectorParser
{
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    public SelectorParser(string text)
    {
        _text = text;
        _pos = 0;
    }

    public Func<IReadOnlyDictionary<string, string>, bool> ParseAll()
    {
        var result = ParseOr();
        SkipSpace();
        if (_pos != _text.Length)
        {
            throw Error("unexpected text");
        }
        return result;
    }

    private Func<IReadOnlyDictionary<string, string>, bool> ParseOr()
    {
        var left = ParseAnd();
        while (TryConsume("||"))
        {
            var l = left;
            var r = ParseAnd();
            left = labels => l(labels) || r(labels);
        }
        return left;
    }

    private Func<IReadOnlyDictionary<string, string>, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (TryConsume("&&"))
        {
            var l = left;
            var r = ParseUnary();
            left = labels => l(labels) && r(labels);
        }
        return left;
    }

    private Func<IReadOnlyDictionary<string, string>, bool> ParseUnary()
    {
        SkipSpace();
        if (TryConsume("!") )
        {
            var inner = ParseUnary();
            return labels => !inner(labels);
        }
        if (TryConsume("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }
        var word = ReadIdentifier();
        if (word == "all")
        {
            Expect("(");
            Expect(")");
            return _ => true;
        }
        if (word == "has")
        {
            Expect("(");
            var key = ReadIdentifier();
            Expect(")");
            return labels => labels.ContainsKey(key);
        }
        if (TryConsume("=="))
        {
            var value = ReadString();
            return labels => labels.TryGetValue(word, out var v) && v == value;
        }
        if (TryConsume("!="))
        {
            var value = ReadString();
            return labels => !labels.TryGetValue(word, out var v) || v != value;
        }
        throw Error($"expected == or != after \"{word}\"");
    }

    private string ReadIdentifier()
    {
        SkipSpace();
        var start = _pos;
        while (_pos < _text.Length && IsLabelChar(_text[_pos]))
        {
            _pos++;
        }
        if (start == _pos)
        {
            throw Error("expected a label key");
        }
        return _text[start.._pos].ToString();
    }

    private string ReadString()
    {
        SkipSpace();
        if (_pos >= _text.Length || (_text[_pos] != '"' && _text[_pos] != '\''))
        {
            throw Error("expected a quoted value");
        }
        var quote = _text[_pos++];
        var end = _text[_pos..].IndexOf(quote);
        if (end < 0)
        {
            throw Error("unterminated string");
        }
        var value = _text.Slice(_pos, end).ToString();
        _pos += end + 1;
        return value;
    }

    private void Expect(string token)
    {
        if (!TryConsume(token))
        {
            throw Error($"expected \"{token}\"");
        }
    }

    private bool TryConsume(string token)
    {
        SkipSpace();
        if (_text[_pos..].StartsWith(token, StringComparison.Ordinal))
        {
            // "!" must not swallow the first half of "!=".
            if (token == "!" && _text[_pos..].StartsWith("!=", StringComparison.Ordinal))
            {
                return false;
            }
            _pos += token.Length;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    // Kubernetes label keys: alphanumerics, '-', '_', '.', and one '/' for a prefix.
    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

    private readonly FormatException Error(string what) =>
        new($"selector \"{_text}\": {what} at position {_pos}");
}
