using System.Globalization;
using System.Text.RegularExpressions;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// A /metrics body read the way Prometheus reads the text format 0.0.4: `# TYPE` lines name the
/// families, every other non-comment line is `name{labels} value`. Parsing fails on a line a
/// scraper would reject, so a test that reads values also proves the format.
/// </summary>
public sealed partial class PrometheusScrape
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public PrometheusScrape(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                _types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: '{line}'");
            }
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            _samples[match.Groups["series"].Value] = value;
        }
    }

    /// <summary>Family name to its `# TYPE` (gauge, counter, histogram).</summary>
    public IReadOnlyDictionary<string, string> Types => _types;

    /// <summary>`name{a="1",b="2"}` (labels in exposition order) to its value.</summary>
    public IReadOnlyDictionary<string, double> Samples => _samples;

    /// <summary>The value of one series, or a failure that lists what the scrape did have.</summary>
    public double Value(string series) =>
        _samples.TryGetValue(series, out var value)
            ? value
            : throw new KeyNotFoundException($"no series {series}; the scrape has: {string.Join(", ", _samples.Keys.Where(k => k.StartsWith(series.Split('{')[0], StringComparison.Ordinal)))}");

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})?) (?<value>[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)$""")]
    private static partial Regex SampleLine();
}
