using System.Globalization;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>`bgp rib`: the speaker's best path per prefix and the decision step that chose it, streamed (a full table has 1M entries).</summary>
internal static class RibView
{
    public static readonly ListView<RibEntry> View = new()
    {
        Name = "entries",
        Headers = ["PREFIX", "NEXT HOPS", "AS PATH", "DECISION STEP", "PEER"],
        Cells = (e, _) =>
        [
            e.Prefix,
            e.NextHops.Count > 0 ? string.Join(", ", e.NextHops) : "-",
            e.AsPath.Count > 0 ? string.Join(' ', e.AsPath.Select(a => a.ToString(CultureInfo.InvariantCulture))) : "(empty)",
            e.DecisionStep,
            e.Local ? "(local)" : e.Peer,
        ],
        Write = (w, e) =>
        {
            w.WriteStartObject();
            w.WriteString("prefix", e.Prefix);
            StructuredOutput.WriteStrings(w, "nextHops", e.NextHops);
            w.WriteStartArray("asPath");
            foreach (var asn in e.AsPath)
            {
                w.WriteNumberValue(asn);
            }
            w.WriteEndArray();
            w.WriteString("decisionStep", e.DecisionStep);
            w.WriteString("peer", e.Peer);
            w.WriteBoolean("local", e.Local);
            w.WriteEndObject();
        },
    };

    public static async Task WriteAsync(IAsyncEnumerable<RibEntry> entries, OutputFormat format, Stream output)
    {
        var list = CtlOutput.BeginList(format, View, output);
        await using (list.ConfigureAwait(false))
        {
            await foreach (var entry in entries.ConfigureAwait(false))
            {
                await list.AddAsync(entry).ConfigureAwait(false);
            }
            await list.EndAsync(tail: null, footer: null).ConfigureAwait(false);
        }
    }

    /// <summary>The whole answer as text (tests, small tables).</summary>
    public static string Render(IReadOnlyList<RibEntry> entries, OutputFormat format)
    {
        using var output = new MemoryStream();
        WriteAsync(entries.ToAsyncEnumerable(), format, output).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }
}
