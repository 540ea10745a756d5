using System.CommandLine;

namespace RoutedNet.Ctl.Output;

/// <summary>The one `-o/--output table|wide|json|yaml` option every data-printing command adds.</summary>
internal static class OutputOption
{
    public static readonly IReadOnlyList<string> Names = ["table", "wide", "json", "yaml"];

    public static Option<OutputFormat> Create() => new("--output", "-o")
    {
        Description = "Output format: table, wide, json or yaml",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var index = Names.ToList().FindIndex(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                result.AddError($"-o must be one of {string.Join(", ", Names)}, not \"{text}\"");
                return OutputFormat.Table;
            }
            return (OutputFormat)index;
        },
        HelpName = "table|wide|json|yaml",
    };
}
