using System.Text;

namespace RoutedNet.Ctl.Lab;

/// <summary>The all-pairs result: one row per sender, one column per receiver.</summary>
internal sealed class ConnectivityMatrix
{
    private readonly IReadOnlyList<LabPod> _pods;
    private readonly Dictionary<(string From, string To), string> _results = [];

    private ConnectivityMatrix(IReadOnlyList<LabPod> pods) => _pods = pods;

    public int Pairs => _results.Count;

    public int Failures => _results.Values.Count(r => r != "ok");

    public static ConnectivityMatrix Measure(IReadOnlyList<LabPod> pods)
    {
        var matrix = new ConnectivityMatrix(pods);
        using var probe = new PodProbe(pods);
        foreach (var from in pods)
        {
            foreach (var to in pods.Where(p => p != from))
            {
                matrix._results[(from.Name, to.Name)] = probe.Probe(from, to);
            }
        }
        return matrix;
    }

    public string Render()
    {
        var b = new StringBuilder();
        b.Append("Pod connectivity (UDP, source address checked at the receiver; ok = arrived from the sender's pod address):\n");
        var width = Math.Max(8, _pods.Select(p => p.Name.Length).DefaultIfEmpty(0).Max() + 2);
        b.Append("FROM \\ TO".PadRight(width));
        foreach (var to in _pods)
        {
            b.Append(to.Name.PadRight(width));
        }
        b.Append('\n');
        foreach (var from in _pods)
        {
            b.Append(from.Name.PadRight(width));
            foreach (var to in _pods)
            {
                b.Append((from == to ? "-" : _results[(from.Name, to.Name)]).PadRight(width));
            }
            b.Append('\n');
        }
        foreach (var ((from, to), result) in _results.Where(r => r.Value != "ok"))
        {
            var sender = _pods.First(p => p.Name == from);
            b.Append(result == "lost"
                ? $"FAIL {from} ({sender.Addresses[0]}) -> {to}: nothing arrived\n"
                : $"FAIL {from} ({sender.Addresses[0]}) -> {to}: arrived {result} (NAT or wrong route)\n");
        }
        b.Append(Failures == 0
            ? $"{Pairs}/{Pairs} pod pairs reach each other with their own addresses\n"
            : $"{Pairs - Failures}/{Pairs} pod pairs ok, {Failures} failed\n");
        return b.ToString();
    }
}
