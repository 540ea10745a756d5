using System.CommandLine;
using System.Globalization;
using RoutedNet.Ctl.Agent;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Policy;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `policy trace --from NS/POD --to NS/POD --port 80/tcp [--seconds 10]`: for a while, both pods'
/// nodes mark that flow with nftrace; every packet of it that passes is printed step by step (chain,
/// rule id, verdict) with the policy rule each id names, ending in the verdict that decided. The
/// pods' nodes come from their WorkloadEndpoints; their agents' sockets from the lab's state (on a
/// cluster only this host's agent, --node-socket, can be asked: run it on the pod's node).
/// </summary>
internal static class PolicyTraceCommand
{
    public static Command Build(Option<string?> datastore, Option<string> socket)
    {
        var from = new Option<string>("--from") { Description = "The source: NAMESPACE/POD, or an IP address", Required = true };
        var to = new Option<string>("--to") { Description = "The destination: NAMESPACE/POD, or an IP address", Required = true };
        var port = new Option<string>("--port") { Description = "PORT/PROTOCOL (80/tcp, 53/udp), or a protocol without ports (icmp)", Required = true };
        var seconds = new Option<int>("--seconds") { Description = "How long to trace (1-300); send traffic meanwhile", DefaultValueFactory = _ => 10 };
        var command = new Command("trace", "Trace one flow through the nftables of both pods' nodes (nftrace) and map each step back to policy rules") { from, to, port, seconds };
        command.SetAction((parse, cancellationToken) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var duration = parse.GetValue(seconds);
            if (duration is < 1 or > 300)
            {
                throw new CtlException($"--seconds {duration}: give 1 to 300");
            }
            var (protocol, number) = PolicyExplainCommand.ParsePort(parse.GetValue(port)!);
            var snapshot = await PolicyExplainCommand.LoadAsync(store, parse.GetValue(datastore)).ConfigureAwait(false);
            var source = PolicyExplainCommand.End(snapshot, parse.GetValue(from)!, "--from");
            var destination = PolicyExplainCommand.End(snapshot, parse.GetValue(to)!, "--to");
            var sockets = Sockets(source, destination, parse.GetValue(socket)!);
            var request = new TracePolicyRequest
            {
                Source = source.Address.ToString(),
                Destination = destination.Address.ToString(),
                Protocol = Protocols.Name(protocol),
                DestinationPort = (uint)(number ?? 0),
                Seconds = (uint)duration,
            };
            Console.WriteLine($"tracing {source} -> {destination} {Protocols.Name(protocol)}{(number is { } n ? "/" + n.ToString(CultureInfo.InvariantCulture) : "")} on {string.Join(", ", sockets.Select(s => s.Node))} for {duration} s: send the traffic now");
            var output = new Lock();
            await Task.WhenAll(sockets.Select(s => TraceAsync(s.Node, s.Path, request, output, cancellationToken))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task TraceAsync(string node, string path, TracePolicyRequest request, Lock output, CancellationToken cancellationToken)
    {
        using var connection = new NodeApiConnection(path);
        await foreach (var step in connection.TracePolicyAsync(request, cancellationToken).ConfigureAwait(false))
        {
            lock (output)
            {
                Console.WriteLine(Render(node, step));
            }
        }
    }

    /// <summary>"node1  #3f2a  forward  rule x/allow#i0  return  (x/allow ingress rule 0)", the packet on its first step.</summary>
    internal static string Render(string node, PolicyTraceStep step)
    {
        var line = $"{node,-8} #{step.PacketId:x8}  {step.Chain,-26} {(step.Rule.Length > 0 ? "rule " + step.Rule : ""),-40} {step.Verdict}";
        if (step.Policy.Length > 0)
        {
            line += $"  ({step.Policy})";
        }
        return step.Packet.Length > 0 ? $"{node,-8} #{step.PacketId:x8}  packet {step.Packet}\n{line}" : line;
    }

    /// <summary>The agents to ask: each pod's node from the lab's state, else this host's agent.</summary>
    private static List<(string Node, string Path)> Sockets(FlowEnd source, FlowEnd destination, string localSocket)
    {
        var nodes = new[] { source.Endpoint?.Node, destination.Endpoint?.Node }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var found = nodes.Select(n => (Node: n, Path: LabNodeSockets.TryFind(n))).Where(s => s.Path is not null).Select(s => (s.Node, s.Path!)).ToList();
        return found.Count > 0 ? found : [("local", localSocket)];
    }
}
