using System.CommandLine;
using System.Net;
using Grpc.Core;
using RoutedNet.Ctl.Agent;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// The operator's commands on one BGP peer of the node: `bgp reset PEER` ends the session (Cease /
/// Administrative Reset) and starts it again, the way out of a max-prefix trip (like a router's
/// "clear ip bgp PEER"); `bgp refresh PEER` asks the peer for its routes again (RFC 2918 ROUTE-REFRESH,
/// "clear ip bgp PEER soft in"), the session staying up. Exit codes: 0 done, 1 the agent refused
/// (no such peer, session not Established), 2 PEER is not an address, 3 the agent cannot be reached.
/// </summary>
internal static class BgpPeerCommands
{
    public static void AddTo(Command bgp, Option<string> socket)
    {
        bgp.Subcommands.Add(PeerCommand(
            socket,
            "reset",
            "End the session with PEER (Cease / Administrative Reset) and start it again; clears a max-prefix trip",
            (connection, peer, cancellationToken) => connection.ResetPeerAsync(peer, cancellationToken),
            "session with {0} reset"));
        bgp.Subcommands.Add(PeerCommand(
            socket,
            "refresh",
            "Ask PEER to send its routes again (RFC 2918 route refresh); the session stays up",
            (connection, peer, cancellationToken) => connection.RefreshPeerAsync(peer, cancellationToken),
            "route refresh requested from {0}"));
    }

    private static Command PeerCommand(
        Option<string> socket, string name, string description, Func<NodeApiConnection, string, CancellationToken, Task> call, string done)
    {
        var peer = new Argument<string>("PEER") { Description = "The peer's address, as `routednetctl bgp peers` lists it" };
        var command = new Command(name, description) { peer };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(peer)!;
            if (!IPAddress.TryParse(address, out _))
            {
                await Console.Error.WriteLineAsync($"error: '{address}' is not an IP address").ConfigureAwait(false);
                return 2;
            }
            return await NodeCommands.RunAsync(parse.GetValue(socket)!, async connection =>
            {
                try
                {
                    await call(connection, address, cancellationToken).ConfigureAwait(false);
                }
                catch (CtlException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound or StatusCode.FailedPrecondition } refused)
                {
                    // The agent answered: a problem with this peer, not with reaching the agent.
                    await Console.Error.WriteLineAsync($"error: {refused.Status.Detail}").ConfigureAwait(false);
                    return 1;
                }
                Console.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, done, address));
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
