using System.CommandLine;
using System.Text;
using RoutedNet.Ctl.Commands;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `policy drops [--node N] [--follow] [-o json]`: the packets one node's policy dropped, each
/// with the rule or tier that dropped it and the local pod it was for; --follow keeps printing;
/// -o json prints one object per line.
/// </summary>
internal static class PolicyDropsView
{
    public static Command Command(Option<string> socket)
    {
        var node = new Option<string?>("--node") { Description = "The lab node to ask (its agent socket from the lab state); default --node-socket" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing drops as they happen (Ctrl-C ends)" };
        var output = OutputOption.Create();
        var drops = new Command("drops", "Packets this node's policy dropped (the last 1,000; rate-limited per rule): when, which pod, which rule or tier") { node, follow, output };
        drops.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetValue(node) is { } name ? LabNodeSockets.Find(name) : parse.GetValue(socket)!;
            return NodeCommands.RunAsync(path, async connection =>
            {
                var format = parse.GetValue(output);
                if (format == OutputFormat.Table)
                {
                    Console.WriteLine(Header);
                }
                try
                {
                    await foreach (var drop in connection.ListPolicyDropsAsync(parse.GetValue(follow), cancellationToken).ConfigureAwait(false))
                    {
                        Console.WriteLine(Render(drop, format));
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C ends --follow: not an error.
                }
                return 0;
            });
        });
        return drops;
    }

    internal const string Header = "TIME                DIRECTION  REASON            POD                       PACKET                                        DROPPED BY";

    /// <summary>One line per drop: a table row, or one JSON object per line (-o json) for scripts and --follow.</summary>
    public static string Render(PolicyDropEvent drop, OutputFormat format)
    {
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            // One compact object per line (JSON Lines), so --follow can be piped into jq.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("time", ApiText.IsoTime(drop.Time));
                w.WriteString("direction", drop.Direction);
                w.WriteString("reason", drop.Reason);
                w.WriteString("id", drop.Id);
                w.WriteString("policy", drop.Policy);
                w.WriteString("endpoint", drop.Endpoint);
                w.WriteString("packet", drop.Packet);
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        var b = new StringBuilder();
        b.Append(ApiText.Time(drop.Time).PadRight(20))
            .Append(drop.Direction.PadRight(11))
            .Append(drop.Reason.PadRight(18))
            .Append((drop.Endpoint.Length > 0 ? drop.Endpoint : "-").PadRight(26))
            .Append(drop.Packet.PadRight(46))
            .Append(drop.Policy);
        return b.ToString();
    }
}
