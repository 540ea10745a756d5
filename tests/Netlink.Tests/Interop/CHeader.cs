using System.Globalization;
using System.Text.RegularExpressions;

namespace RoutedNet.Netlink.Tests.Interop;

/// <summary>
/// Reads the integer constants of C headers: `#define NAME expr` and `enum { A, B = expr, ... }`
/// members (implicit values count up). Expressions may use numbers, names defined earlier, |, &lt;&lt;,
/// +, - and parentheses — enough for the uapi networking headers.
/// </summary>
internal sealed partial class CHeader
{
    private readonly Dictionary<string, long> _values = [];

    public static CHeader Parse(params string[] paths)
    {
        var header = new CHeader();
        foreach (var path in paths)
        {
            header.Read(File.ReadAllText(path));
        }
        return header;
    }

    public bool TryGet(string name, out long value) => _values.TryGetValue(name, out value);

    public long this[string name] =>
        _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"{name} is not defined in the headers read");

    private void Read(string text)
    {
        text = BlockComment().Replace(text, " ");
        text = LineComment().Replace(text, "");
        var inEnum = false;
        long next = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var define = Define().Match(line);
            if (define.Success)
            {
                if (TryEvaluate(define.Groups[2].Value, out var value))
                {
                    _values.TryAdd(define.Groups[1].Value, value);
                }
                continue;
            }
            if (EnumStart().IsMatch(line))
            {
                inEnum = true;
                next = 0;
                line = line[(line.IndexOf('{', StringComparison.Ordinal) + 1)..];
            }
            if (!inEnum)
            {
                continue;
            }
            var closes = line.Contains('}', StringComparison.Ordinal);
            if (closes)
            {
                line = line[..line.IndexOf('}', StringComparison.Ordinal)];
            }
            foreach (var member in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = member.Split('=', 2, StringSplitOptions.TrimEntries);
                if (!Identifier().IsMatch(parts[0]))
                {
                    continue;
                }
                if (parts.Length == 2 && TryEvaluate(parts[1], out var explicitValue))
                {
                    next = explicitValue;
                }
                _values.TryAdd(parts[0], next);
                next++;
            }
            if (closes)
            {
                inEnum = false;
            }
        }
    }

    private bool TryEvaluate(string expression, out long value)
    {
        var tokens = Token().Matches(expression).Select(m => m.Value).ToList();
        var position = 0;
        try
        {
            value = Or(tokens, ref position);
            return position == tokens.Count;
        }
        catch (FormatException)
        {
            value = 0;
            return false;
        }
    }

    private long Or(List<string> t, ref int p)
    {
        var value = Shift(t, ref p);
        while (p < t.Count && t[p] == "|")
        {
            p++;
            value |= Shift(t, ref p);
        }
        return value;
    }

    private long Shift(List<string> t, ref int p)
    {
        var value = Sum(t, ref p);
        while (p < t.Count && t[p] == "<<")
        {
            p++;
            value <<= (int)Sum(t, ref p);
        }
        return value;
    }

    private long Sum(List<string> t, ref int p)
    {
        var value = Atom(t, ref p);
        while (p < t.Count && t[p] is "+" or "-")
        {
            var plus = t[p++] == "+";
            var right = Atom(t, ref p);
            value = plus ? value + right : value - right;
        }
        return value;
    }

    private long Atom(List<string> t, ref int p)
    {
        if (p >= t.Count)
        {
            throw new FormatException("expression ends early");
        }
        var token = t[p++];
        if (token == "(")
        {
            var inner = Or(t, ref p);
            if (p >= t.Count || t[p++] != ")")
            {
                throw new FormatException("unbalanced parenthesis");
            }
            return inner;
        }
        if (token == "-")
        {
            return -Atom(t, ref p);
        }
        var number = token.TrimEnd('U', 'u', 'L', 'l');
        if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.Parse(number[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        if (long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var decimalValue))
        {
            return decimalValue;
        }
        return _values.TryGetValue(token, out var named) ? named : throw new FormatException($"unknown name {token}");
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$")]
    private static partial Regex Define();

    [GeneratedRegex(@"^(typedef\s+)?enum\b[^;]*\{")]
    private static partial Regex EnumStart();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_][A-Za-z0-9_]*|<<|[|()+\-]|\S")]
    private static partial Regex Token();
}
