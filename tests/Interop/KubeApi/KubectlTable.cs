using System.Text.RegularExpressions;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// kubectl's table output read by the header's column positions (kubectl aligns every column
/// under its header, and an empty cell is blanks), one row per object keyed by column name.
/// </summary>
public static partial class KubectlTable
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return [];
        }
        var header = lines[0];
        var columns = HeaderColumn().Matches(header).Select(m => (Name: m.Value, Start: m.Index)).ToList();
        return [.. lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)columns.Select((c, i) =>
        {
            var end = i + 1 < columns.Count ? columns[i + 1].Start : int.MaxValue;
            var cell = c.Start >= line.Length ? "" : line[c.Start..Math.Min(end, line.Length)];
            return KeyValuePair.Create(c.Name, cell.Trim());
        }).ToDictionary())];
    }

    /// <summary>The row whose NAME is <paramref name="name"/>.</summary>
    public static IReadOnlyDictionary<string, string> Row(string output, string name) =>
        Parse(output).SingleOrDefault(r => r["NAME"] == name)
        ?? throw new InvalidOperationException($"no row {name} in:\n{output}");

    // Header words joined by single spaces ("BLOCK SIZE", "NODE SELECTOR") make one column.
    [GeneratedRegex(@"\S+(?: \S+)*")]
    private static partial Regex HeaderColumn();
}
