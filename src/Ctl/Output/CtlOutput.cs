using System.Text.Json;
using RoutedNet.Ctl.Agent;

namespace RoutedNet.Ctl.Output;

/// <summary>
/// The one formatter entry point: a command describes its answer once as a JSON tree (for json and
/// yaml, the same tree in both) and once as text (table, or wide with more columns); this prints
/// the form `-o` asked for. Long lists go through <see cref="BeginList"/> instead.
/// </summary>
internal static class CtlOutput
{
    public static string Format(OutputFormat format, Action<Utf8JsonWriter> structured, Func<bool, string> text) => format switch
    {
        OutputFormat.Json => StructuredOutput.Format(format, structured),
        OutputFormat.Yaml => StructuredOutput.Format(format, structured),
        _ => text(format == OutputFormat.Wide),
    };

    /// <summary>The entry point for lists of any length (1M routes): items go out as they come, see <see cref="ListOutput{T}"/>.</summary>
    public static ListOutput<T> BeginList<T>(OutputFormat format, ListView<T> view, Stream output, Action<Utf8JsonWriter>? head = null) =>
        new(format, view, output, head);

    public static void Write(OutputFormat format, Action<Utf8JsonWriter> structured, Func<bool, string> text, TextWriter? output = null) =>
        (output ?? Console.Out).Write(Format(format, structured, text));
}
