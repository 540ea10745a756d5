using System.Text;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// One probe line over the 9 pods: every ordered pair but the diagonal (loopback is not checked,
/// kubernetes#95879), 3 probes at a time as upstream runs them; a cell that disagrees with the
/// expectation is probed once more (upstream probes a wrong matrix a second time) before it counts.
/// </summary>
internal static class NetpolMatrix
{
    private const int Workers = 3;

    /// <summary>81 cells in the case file's notation: '.' allowed, 'X' blocked, '-' loopback.</summary>
    public static async Task<string> ProbeAsync(LabDirectory directory, IReadOnlyList<LabPod> pods, NetpolProbe probe, CancellationToken cancellationToken)
    {
        var cells = new char[pods.Count * pods.Count];
        var pairs = new List<int>();
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = i / pods.Count == i % pods.Count ? '-' : '?';
            if (cells[i] == '?')
            {
                pairs.Add(i);
            }
        }
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken }, async (cell, _) =>
        {
            var (from, to) = (pods[cell / pods.Count], pods[cell % pods.Count]);
            var allowed = await PolicyProbe.ProbeAsync(directory, from, to, probe.Port, probe.Protocol).ConfigureAwait(false);
            if ((allowed ? '.' : 'X') != probe.Expect[cell])
            {
                allowed = await PolicyProbe.ProbeAsync(directory, from, to, probe.Port, probe.Protocol).ConfigureAwait(false);
            }
            cells[cell] = allowed ? '.' : 'X';
        }).ConfigureAwait(false);
        return new string(cells);
    }

    /// <summary>Cells where observed and expected differ, loopback left out.</summary>
    public static int Wrong(string expected, string observed) =>
        Enumerable.Range(0, expected.Length).Count(i => expected[i] != '-' && observed[i] != '-' && expected[i] != observed[i]);

    /// <summary>Expected and observed side by side, row and column names, each wrong cell marked with '!' under "wrong".</summary>
    public static string Render(IReadOnlyList<string> names, string expected, string observed, string? modelTitle = null, string? model = null)
    {
        var b = new StringBuilder();
        var n = names.Count;
        var header = string.Concat(names.Select(p => p[^1]));
        var column = Math.Max(n, 9) + 3;
        b.Append("      ").Append("expected".PadRight(column)).Append("observed".PadRight(column)).Append("wrong".PadRight(column));
        if (model is not null)
        {
            b.Append(modelTitle);
        }
        b.Append('\n');
        b.Append("      ");
        foreach (var _ in Enumerable.Range(0, model is null ? 3 : 4))
        {
            b.Append(header.PadRight(column));
        }
        b.Append('\n');
        for (var row = 0; row < n; row++)
        {
            b.Append(names[row].PadRight(6));
            b.Append(expected.AsSpan(row * n, n)).Append(' ', column - n);
            b.Append(observed.AsSpan(row * n, n)).Append(' ', column - n);
            for (var col = 0; col < n; col++)
            {
                var i = (row * n) + col;
                b.Append(expected[i] != '-' && expected[i] != observed[i] ? '!' : ' ');
            }
            if (model is not null)
            {
                b.Append(' ', column - n).Append(model.AsSpan(row * n, n));
            }
            b.Append('\n');
        }
        return b.ToString();
    }
}
