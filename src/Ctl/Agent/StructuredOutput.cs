using System.Buffers;
using System.Text.Json;
using RoutedNet.Ctl.Output;

namespace RoutedNet.Ctl.Agent;

/// <summary>-o json / -o yaml for the agent's answers: one JSON tree written once, printed in either form.</summary>
internal static class StructuredOutput
{
    public static string Format(OutputFormat format, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return format == OutputFormat.Yaml
            ? YamlWriter.Write(document.RootElement)
            : JsonSerializer.Serialize(document.RootElement, IndentedJson.Default.JsonElement) + "\n";
    }

    /// <summary>Writes <paramref name="values"/> as the array property <paramref name="name"/>.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
