using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>`bgp advertised`: each prefix the node originates, one line per reason (a shared VIP has several).</summary>
internal static class AdvertisedView
{
    public static string Render(IReadOnlyList<AdvertisedPrefix> prefixes, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("advertised");
            foreach (var p in prefixes)
            {
                w.WriteStartObject();
                w.WriteString("prefix", p.Prefix);
                w.WriteBoolean("blackholed", p.Blackholed);
                w.WriteStartArray("reasons");
                foreach (var reason in p.Reasons)
                {
                    w.WriteStringValue(reason);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }),
        _ => Table.Render(
            ["PREFIX", "WHY"],
            [.. prefixes.SelectMany(p => p.Reasons.DefaultIfEmpty("").Select((reason, i) => (IReadOnlyList<string>)[i == 0 ? p.Prefix : "", reason]))]),
    };
}
