using System.CommandLine;
using RoutedNet.Ctl.Agent;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// Commands that read one node agent through its local API socket: node status, bgp peers,
/// bgp rib, routes. Exit codes: 0 fine, 1 `routes` found something off, 2 the agent could not be read.
/// </summary>
internal static class NodeCommands
{
    public const int Unreachable = 2;

    public static void AddTo(RootCommand root)
    {
        var socket = new Option<string>("--node-socket")
        {
            Description = "The node agent's API socket (routednet-node --api-socket)",
            DefaultValueFactory = _ => NodeApiConnection.DefaultSocket,
            Recursive = true,
        };
        root.Subcommands.Add(NodeCommand(socket));
        root.Subcommands.Add(BgpCommand(socket));
        root.Subcommands.Add(RoutesCommand(socket));
    }

    private static Option<string> Output()
    {
        var output = new Option<string>("--output", "-o") { Description = "table, json or yaml", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json", "yaml");
        return output;
    }

    private static Command NodeCommand(Option<string> socket)
    {
        var output = Output();
        var status = new Command("status", "The node's name, AS, router id, blocks and readiness, then its BGP peers (like calicoctl node status)") { output };
        status.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(await NodeStatusView.ReadAndRenderAsync(connection.SocketPath, parse.GetValue(output)!, cancellationToken).ConfigureAwait(false));
            return 0;
        }));
        return new Command("node", "Read the node agent on this host") { socket, status };
    }

    private static Command BgpCommand(Option<string> socket)
    {
        var peersOutput = Output();
        var peers = new Command("peers", "Every BGP peer of the node: type, session state, since, prefix and update counters") { peersOutput };
        peers.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(PeersView.Render(await connection.ListPeersAsync(cancellationToken).ConfigureAwait(false), parse.GetValue(peersOutput)!));
            return 0;
        }));

        var ribOutput = Output();
        var prefix = new Option<string?>("--prefix") { Description = "Only this exact prefix (CIDR)" };
        var rib = new Command("rib", "The Loc-RIB: best path per prefix, next hops, AS path, the decision step that chose it, the peer") { prefix, ribOutput };
        rib.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            var entries = await connection.ListRibAsync(parse.GetValue(prefix), cancellationToken).ConfigureAwait(false);
            Console.Write(RibView.Render(entries, parse.GetValue(ribOutput)!));
            return 0;
        }));
        var bgp = new Command("bgp", "The node's BGP speaker") { socket, peers, rib };
        BgpPeerCommands.AddTo(bgp, socket);
        return bgp;
    }

    private static Command RoutesCommand(Option<string> socket)
    {
        var output = Output();
        var routes = new Command(
            "routes",
            "The node's kernel routes next to what they should be (missing, unexpected, wrong next hop, missing blackhole, conflicts with other owners); exit 1 when anything is off")
        { socket, output };
        routes.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            var response = await connection.ListRoutesAsync(cancellationToken).ConfigureAwait(false);
            Console.Write(RoutesView.Render(response, parse.GetValue(output)!));
            return RoutesView.IsClean(response) ? 0 : 1;
        }));
        return routes;
    }

    internal static async Task<int> RunAsync(string socketPath, Func<NodeApiConnection, Task<int>> action)
    {
        try
        {
            using var connection = new NodeApiConnection(socketPath);
            return await action(connection).ConfigureAwait(false);
        }
        catch (CtlException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
    }
}
