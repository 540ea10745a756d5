using System.Globalization;
using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `routes`: each prefix's desired route next to what the kernel holds, and whether anything is
/// off; streamed as the agent sends it (those that are off first, then by prefix), so 1M routes
/// print without being held.
/// </summary>
internal static class RoutesView
{
    public static ListView<RouteStatus> View(uint protocol) => new()
    {
        Name = "routes",
        Headers = ["PREFIX", "KIND", "STATE", "DESIRED", "PROGRAMMED", "DETAIL"],
        Cells = (r, _) =>
        [
            r.Prefix, ApiText.Kind(r.Kind), ApiText.State(r.State),
            ApiText.Target(r.Desired, protocol), ApiText.Target(r.Programmed, protocol), r.Detail,
        ],
        Write = (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("prefix", r.Prefix);
            w.WriteString("kind", ApiText.Kind(r.Kind));
            w.WriteString("state", ApiText.State(r.State));
            WriteTarget(w, "desired", r.Desired);
            WriteTarget(w, "programmed", r.Programmed);
            w.WriteString("detail", r.Detail);
            w.WriteEndObject();
        },
    };

    /// <summary>True when every route is as it should be.</summary>
    public static bool IsClean(ListRoutesResponse response) => response.Routes.All(r => r.State == RouteState.Ok);

    /// <summary>Prints the agent's answer; true when every route is as it should be (the command then exits 0).</summary>
    public static async Task<bool> WriteAsync(IAsyncEnumerable<ListRoutesResponse> chunks, OutputFormat format, Stream output)
    {
        ListOutput<RouteStatus>? list = null;
        long total = 0, off = 0;
        try
        {
            await foreach (var chunk in chunks.ConfigureAwait(false))
            {
                list ??= Begin(chunk, format, output);
                foreach (var route in chunk.Routes)
                {
                    total++;
                    off += route.State == RouteState.Ok ? 0 : 1;
                    await list.AddAsync(route).ConfigureAwait(false);
                }
            }
            list ??= Begin(new ListRoutesResponse(), format, output);
            var footer = "\n" + (off == 0
                ? $"OK: all {total.ToString(CultureInfo.InvariantCulture)} routes as they should be\n"
                : $"FAILED: {off.ToString(CultureInfo.InvariantCulture)} of {total.ToString(CultureInfo.InvariantCulture)} routes are off\n");
            await list.EndAsync(w => w.WriteBoolean("clean", off == 0), footer).ConfigureAwait(false);
            return off == 0;
        }
        finally
        {
            if (list is not null)
            {
                await list.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A whole answer as text, sorted as the agent streams it (tests, small tables).</summary>
    public static string Render(ListRoutesResponse response, OutputFormat format)
    {
        var sorted = response.Clone();
        sorted.Routes.Clear();
        sorted.Routes.Add(response.Routes.OrderBy(r => r.State == RouteState.Ok).ThenBy(r => r.Prefix, StringComparer.Ordinal));
        using var output = new MemoryStream();
        WriteAsync(new[] { sorted }.ToAsyncEnumerable(), format, output).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    private static ListOutput<RouteStatus> Begin(ListRoutesResponse first, OutputFormat format, Stream output) =>
        CtlOutput.BeginList(format, View(first.Protocol), output, w =>
        {
            w.WriteNumber("protocol", first.Protocol);
            w.WriteString("lastResync", ApiText.IsoTime(first.LastResync));
        });

    private static void WriteTarget(Utf8JsonWriter w, string name, RouteTarget? target)
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
