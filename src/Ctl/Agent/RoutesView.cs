using System.Globalization;
using System.Text;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>`routes`: each prefix's desired route next to what the kernel holds, and whether anything is off.</summary>
internal static class RoutesView
{
    /// <summary>True when every route is as it should be (the command then exits 0).</summary>
    public static bool IsClean(ListRoutesResponse response) => response.Routes.All(r => r.State == RouteState.Ok);

    public static string Render(ListRoutesResponse response, OutputFormat format)
    {
        var routes = response.Routes.OrderBy(r => r.State == RouteState.Ok).ThenBy(r => r.Prefix, StringComparer.Ordinal).ToList();
        var off = routes.Count(r => r.State != RouteState.Ok);
        return format switch
        {
            OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("clean", off == 0);
                w.WriteNumber("protocol", response.Protocol);
                w.WriteString("lastResync", ApiText.IsoTime(response.LastResync));
                w.WriteStartArray("routes");
                foreach (var r in routes)
                {
                    w.WriteStartObject();
                    w.WriteString("prefix", r.Prefix);
                    w.WriteString("kind", ApiText.Kind(r.Kind));
                    w.WriteString("state", ApiText.State(r.State));
                    WriteTarget(w, "desired", r.Desired);
                    WriteTarget(w, "programmed", r.Programmed);
                    w.WriteString("detail", r.Detail);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }),
            _ => new StringBuilder(Table.Render(
                    ["PREFIX", "KIND", "STATE", "DESIRED", "PROGRAMMED", "DETAIL"],
                    [.. routes.Select(r => (IReadOnlyList<string>)
                    [
                        r.Prefix, ApiText.Kind(r.Kind), ApiText.State(r.State),
                        ApiText.Target(r.Desired, response.Protocol), ApiText.Target(r.Programmed, response.Protocol), r.Detail,
                    ])]))
                .Append('\n')
                .Append(off == 0
                    ? $"OK: all {routes.Count.ToString(CultureInfo.InvariantCulture)} routes as they should be\n"
                    : $"FAILED: {off.ToString(CultureInfo.InvariantCulture)} of {routes.Count.ToString(CultureInfo.InvariantCulture)} routes are off\n")
                .ToString(),
        };
    }

    private static void WriteTarget(System.Text.Json.Utf8JsonWriter w, string name, RouteTarget? target)
    {
        if (target is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteBoolean("blackhole", target.Blackhole);
        w.WriteString("interface", target.Interface);
        StructuredOutput.WriteStrings(w, "nextHops", target.NextHops);
        w.WriteNumber("protocol", target.Protocol);
        w.WriteEndObject();
    }
}
