using System.Text;
using System.Text.Json;

namespace RoutedNet.Ctl.Output;

/// <summary>Writes a JSON document as block-style YAML (strings quoted when YAML would read them as something else).</summary>
internal static class YamlWriter
{
    public static string Write(JsonElement root)
    {
        var builder = new StringBuilder();
        WriteValue(builder, root, 0, inSequence: false);
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder b, JsonElement value, int indent, bool inSequence)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!(first && inSequence))
                    {
                        b.Append(' ', indent);
                    }
                    first = false;
                    b.Append(Scalar(property.Name)).Append(':');
                    WriteChild(b, property.Value, indent + 2);
                }
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                foreach (var item in value.EnumerateArray())
                {
                    b.Append(' ', indent).Append("- ");
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array && IsNonEmpty(item))
                    {
                        WriteValue(b, item, indent + 2, inSequence: true);
                    }
                    else
                    {
                        b.Append(Inline(item)).Append('\n');
                    }
                }
                break;
            default:
                b.Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder b, JsonElement value, int indent)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && IsNonEmpty(value))
        {
            b.Append('\n');
            WriteValue(b, value, value.ValueKind == JsonValueKind.Array ? indent - 2 : indent, inSequence: false);
        }
        else
        {
            b.Append(' ').Append(Inline(value)).Append('\n');
        }
    }

    private static bool IsNonEmpty(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Any() : value.GetArrayLength() > 0;

    private static string Inline(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        JsonValueKind.String => Scalar(value.GetString() ?? ""),
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    // YAML double-quoted style: only backslash, quote and control characters need escapes.
    private static string Quote(string text)
    {
        var b = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                '\n' => b.Append("\\n"),
                < ' ' => b.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }
        return b.Append('"').ToString();
    }

    private static string Scalar(string text)
    {
        var plain = text.Length > 0
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/')
            && !char.IsAsciiDigit(text[0]) && text[0] != '-'
            && text is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~");
        return plain ? text : Quote(text);
    }
}
