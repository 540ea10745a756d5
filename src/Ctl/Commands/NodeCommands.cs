using System.CommandLine;
using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// Commands that read one node agent through its local API socket: node status, node endpoints, bgp peers,
/// bgp rib, routes; and node drain / uncordon (through the datastore with NODE, see <see cref="NodeDrainCommands"/>). Exit codes as everywhere (<see cref="CtlExitCode"/>):
/// `routes` exits 1 when something is off, an agent that cannot be read gives 3.
/// </summary>
internal static class NodeCommands
{
    public static void AddTo(RootCommand root, Option<string?> datastore)
    {
        var socket = new Option<string>("--node-socket")
        {
            Description = "The node agent's API socket (routednet-node --api-socket)",
            DefaultValueFactory = _ => NodeApiConnection.DefaultSocket,
            Recursive = true,
        };
        root.Subcommands.Add(NodeCommand(socket, datastore));
        root.Subcommands.Add(BgpCommand(socket));
        root.Subcommands.Add(RoutesCommand(socket));
        root.Subcommands.Add(PolicyStatusView.Command(socket));
    }

    private static Command NodeCommand(Option<string> socket, Option<string?> datastore)
    {
        var output = OutputOption.Create();
        var status = new Command("status", "The node's name, AS, router id, blocks and readiness, then its BGP peers (like calicoctl node status)") { output };
        status.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(await NodeStatusView.ReadAndRenderAsync(connection.SocketPath, parse.GetValue(output), cancellationToken).ConfigureAwait(false));
            return 0;
        }));
        var drainNode = new Argument<string?>("NODE") { Description = "The node to drain (its Node resource); without it, this host's agent at once (below)", Arity = ArgumentArity.ZeroOrOne };
        var wait = NodeDrainCommands.WaitOption();
        var drain = new Command(
            "drain",
            "Take NODE out of service: its agent announces every route with GRACEFUL_SHUTDOWN (65535:0, RFC 8326) for --wait so peers move traffic away, "
            + "then withdraws them and closes every BGP session (Cease / Administrative Shutdown); it stays out, across agent restarts, until `node uncordon NODE` "
            + "(the Node's spec.drain in the datastore). Without NODE: this host's agent withdraws at once and stays out until it restarts")
        { drainNode, wait };
        drain.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(drainNode) is not { } name)
            {
                return RunAsync(parse.GetValue(socket)!, async connection =>
                {
                    var drained = await connection.DrainAsync(cancellationToken).ConfigureAwait(false);
                    Console.Write(DrainView.Render(drained));
                    return 0;
                });
            }
            return CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
            {
                var seconds = NodeDrainCommands.ParseWait(parse.GetValue(wait)!);
                Console.Write(await NodeDrainCommands.DrainAsync(store, name, seconds, TimeProvider.System, cancellationToken).ConfigureAwait(false));
                return 0;
            });
        });
        var uncordonNode = new Argument<string>("NODE") { Description = "The drained node" };
        var uncordon = new Command("uncordon", "Undo `node drain NODE`: its agent opens its BGP sessions again and announces its routes without GRACEFUL_SHUTDOWN") { uncordonNode };
        uncordon.SetAction((parse, cancellationToken) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            Console.Write(await NodeDrainCommands.UncordonAsync(store, parse.GetValue(uncordonNode)!, cancellationToken).ConfigureAwait(false));
            return 0;
        }));
        var endpointsOutput = OutputOption.Create();
        var endpoints = new Command(
            "endpoints",
            "The node's WorkloadEndpoints as its agent keeps them: pod, addresses, host veth, the pod's labels (wide: its namespace's labels); with the kubernetes datastore derived from the Pods on the node") { endpointsOutput };
        endpoints.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(EndpointsView.Render(await connection.ListWorkloadEndpointsAsync(cancellationToken).ConfigureAwait(false), parse.GetValue(endpointsOutput)));
            return 0;
        }));
        return new Command("node", "Read the node agent on this host; drain a node and undo it") { socket, status, endpoints, drain, uncordon };
    }

    private static Command BgpCommand(Option<string> socket)
    {
        var peersOutput = OutputOption.Create();
        var peers = new Command("peers", "Every BGP peer of the node: type, session state, since, prefix and update counters") { peersOutput };
        peers.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(PeersView.Render(await connection.ListPeersAsync(cancellationToken).ConfigureAwait(false), parse.GetValue(peersOutput)));
            return 0;
        }));

        var ribOutput = OutputOption.Create();
        var prefix = new Option<string?>("--prefix") { Description = "Only this exact prefix (CIDR)" };
        var rib = new Command("rib", "The Loc-RIB: best path per prefix, next hops, AS path, the decision step that chose it, the peer") { prefix, ribOutput };
        rib.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            var stdout = Console.OpenStandardOutput();
            await using (stdout.ConfigureAwait(false))
            {
                await RibView.WriteAsync(connection.StreamRibAsync(parse.GetValue(prefix), cancellationToken), parse.GetValue(ribOutput), stdout).ConfigureAwait(false);
            }
            return 0;
        }));
        var advertisedOutput = OutputOption.Create();
        var advertisedPrefix = new Option<string?>("--prefix") { Description = "Only this exact prefix (CIDR)" };
        var advertised = new Command(
            "advertised",
            "Every prefix this node originates into BGP and why: its blocks, pod addresses outside them, BGPConfiguration's service ranges, Service VIPs with a ready endpoint here")
        { advertisedPrefix, advertisedOutput };
        advertised.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(AdvertisedView.Render(await connection.ListAdvertisedAsync(parse.GetValue(advertisedPrefix), cancellationToken).ConfigureAwait(false), parse.GetValue(advertisedOutput)));
            return 0;
        }));
        var bgp = new Command("bgp", "The node's BGP speaker") { socket, peers, rib, advertised };
        BgpPeerCommands.AddTo(bgp, socket);
        return bgp;
    }

    private static Command RoutesCommand(Option<string> socket)
    {
        var output = OutputOption.Create();
        var routes = new Command(
            "routes",
            "The node's kernel routes next to what they should be (missing, unexpected, wrong next hop, missing blackhole, conflicts with other owners); exit 1 when anything is off")
        { socket, output };
        routes.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(socket)!, async connection =>
        {
            var stdout = Console.OpenStandardOutput();
            await using (stdout.ConfigureAwait(false))
            {
                var clean = await RoutesView.WriteAsync(connection.StreamRoutesAsync(cancellationToken), parse.GetValue(output), stdout).ConfigureAwait(false);
                return (int)(clean ? CtlExitCode.Ok : CtlExitCode.Problem);
            }
        }));
        return routes;
    }

    internal static Task<int> RunAsync(string socketPath, Func<NodeApiConnection, Task<int>> action) => RunAsync(() => socketPath, action);

    /// <summary>As above, with the socket found when the command runs (--node NAME from the lab's state): a bad name is a one-line error too.</summary>
    internal static Task<int> RunAsync(Func<string> socketPath, Func<NodeApiConnection, Task<int>> action) => CtlFailure.RunAsync(async () =>
    {
        using var connection = new NodeApiConnection(socketPath());
        return await action(connection).ConfigureAwait(false);
    });
}
