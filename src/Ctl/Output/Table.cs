using System.Text;

namespace RoutedNet.Ctl.Output;

/// <summary>Left-aligned columns separated by three spaces, kubectl style.</summary>
internal static class Table
{
    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        var b = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            for (var i = 0; i < headers.Count; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                b.Append(i == headers.Count - 1 ? cell : cell.PadRight(widths[i] + 3));
            }
            b.Append('\n');
        }
        return b.ToString();
    }
}
