namespace RoutedNet.Datastore.Selectors;

/// <summary>
/// Recursive descent over Calico's selector grammar:
/// <code>
/// or    := and ('||' and)*
/// and   := unary ('&amp;&amp;' unary)*
/// unary := '!' unary | '(' or ')' | all() | global() | has(KEY)
///        | KEY ('==' | '!=' | contains | starts with | ends with) STRING
///        | KEY [not] in '{' [STRING (',' STRING)*] '}'
/// </code>
/// Strings in single or double quotes (no escapes). Errors name the position.
/// </summary>
internal ref struct SelectorParser
{
    private readonly string _source;
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    public SelectorParser(string text)
    {
        _source = text;
        _text = text;
        _pos = 0;
    }

    public SelectorNode ParseAll()
    {
        var result = ParseOr();
        SkipSpace();
        if (_pos != _text.Length)
        {
            throw Error("unexpected text");
        }
        return result;
    }

    private SelectorNode ParseOr()
    {
        var operands = new List<SelectorNode> { ParseAnd() };
        while (TryConsume("||"))
        {
            operands.Add(ParseAnd());
        }
        return operands.Count == 1 ? operands[0] : new JunctionNode(false, operands);
    }

    private SelectorNode ParseAnd()
    {
        var operands = new List<SelectorNode> { ParseUnary() };
        while (TryConsume("&&"))
        {
            operands.Add(ParseUnary());
        }
        return operands.Count == 1 ? operands[0] : new JunctionNode(true, operands);
    }

    private SelectorNode ParseUnary()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("expected an expression");
        }
        if (_text[_pos] == '!' && !At("!="))
        {
            _pos++;
            return new NotNode(ParseUnary());
        }
        if (TryConsume("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }
        var start = _pos;
        var word = ReadKey();
        SkipSpace();
        if (At("("))
        {
            return word switch
            {
                "all" => Call(AllNode.Instance),
                "global" => Call(GlobalNode.Instance),
                "has" => Has(),
                _ => throw Error($"unknown function \"{word}\"", start),
            };
        }
        if (TryConsume("=="))
        {
            return new CompareNode(word, CompareOp.Equal, ReadString());
        }
        if (TryConsume("!="))
        {
            return new CompareNode(word, CompareOp.NotEqual, ReadString());
        }
        if (TryWord("in"))
        {
            return new SetNode(word, false, ReadSet());
        }
        if (TryWord("not"))
        {
            if (!TryWord("in"))
            {
                throw Error("expected \"in\" after \"not\"");
            }
            return new SetNode(word, true, ReadSet());
        }
        if (TryWord("contains"))
        {
            return new CompareNode(word, CompareOp.Contains, ReadString());
        }
        if (TryWord("starts"))
        {
            return TryWord("with") ? new CompareNode(word, CompareOp.StartsWith, ReadString()) : throw Error("expected \"with\" after \"starts\"");
        }
        if (TryWord("ends"))
        {
            return TryWord("with") ? new CompareNode(word, CompareOp.EndsWith, ReadString()) : throw Error("expected \"with\" after \"ends\"");
        }
        throw Error($"expected ==, !=, in, not in, contains, starts with or ends with after \"{word}\"");
    }

    private SelectorNode Call(SelectorNode node)
    {
        Expect("(");
        Expect(")");
        return node;
    }

    private SelectorNode Has()
    {
        Expect("(");
        var key = ReadKey();
        Expect(")");
        return new HasNode(key);
    }

    private List<string> ReadSet()
    {
        Expect("{");
        var values = new List<string>();
        if (TryConsume("}"))
        {
            return values;
        }
        do
        {
            values.Add(ReadString());
        }
        while (TryConsume(","));
        Expect("}");
        return values;
    }

    private string ReadKey()
    {
        SkipSpace();
        var start = _pos;
        while (_pos < _text.Length && IsKeyChar(_text[_pos]))
        {
            _pos++;
        }
        if (start == _pos)
        {
            throw Error(_pos < _text.Length ? $"unexpected '{_text[_pos]}', expected a label key" : "expected a label key");
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
        var start = _pos;
        var quote = _text[_pos++];
        var end = _text[_pos..].IndexOf(quote);
        if (end < 0)
        {
            throw Error("unterminated string", start);
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
        if (At(token))
        {
            _pos += token.Length;
            return true;
        }
        return false;
    }

    // A keyword only as a whole word: "in" must not eat the start of "inner".
    private bool TryWord(string word)
    {
        SkipSpace();
        if (At(word) && (_pos + word.Length == _text.Length || !IsKeyChar(_text[_pos + word.Length])))
        {
            _pos += word.Length;
            return true;
        }
        return false;
    }

    private readonly bool At(string token) => _text[_pos..].StartsWith(token, StringComparison.Ordinal);

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    // Kubernetes label keys: alphanumerics, '-', '_', '.', and '/' between a prefix and the name.
    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

    private readonly SelectorException Error(string what) => Error(what, _pos);

    private readonly SelectorException Error(string what, int position) =>
        new($"selector \"{_source}\": {what} at position {position}", position);
}
