using System.Globalization;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>`bgp rib`: the speaker's best path per prefix and the decision step that chose it.</summary>
internal static class RibView
{
    public static string Render(IReadOnlyList<RibEntry> entries, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("entries");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteString("prefix", e.Prefix);
                StructuredOutput.WriteStrings(w, "nextHops", e.NextHops);
                w.WriteStartArray("asPath");
                e.AsPath.ToList().ForEach(w.WriteNumberValue);
                w.WriteEndArray();
                w.WriteString("decisionStep", e.DecisionStep);
                w.WriteString("peer", e.Peer);
                w.WriteBoolean("local", e.Local);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }),
        _ => Table.Render(
            ["PREFIX", "NEXT HOPS", "AS PATH", "DECISION STEP", "PEER"],
            [.. entries.Select(e => (IReadOnlyList<string>)
            [
                e.Prefix,
                e.NextHops.Count > 0 ? string.Join(", ", e.NextHops) : "-",
                e.AsPath.Count > 0 ? string.Join(' ', e.AsPath.Select(a => a.ToString(CultureInfo.InvariantCulture))) : "(empty)",
                e.DecisionStep,
                e.Local ? "(local)" : e.Peer,
            ])]),
    };
}
