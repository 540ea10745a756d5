using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// A node's `routednet-node`, started with the contract flags in the node's namespace, and its
/// readiness read from /readyz on the node's own loopback (the health port is per namespace).
/// </summary>
internal static class NodeAgent
{
    public const string Binary = "routednet-node";

    public static void Start(LabDirectory directory, LabState state, LabNode node, string binDirectory)
    {
        // Each agent its own directory: it writes its node name there, next to its socket.
        Directory.CreateDirectory(Path.GetDirectoryName(node.ApiSocket)!);
        // The agent follows the plugin's records from the start (it never makes the directory itself).
        Directory.CreateDirectory(CniRuntime.DataDir(directory, node.Name));
        File.Delete(node.ApiSocket);
        string[] backend = [];
        if (state.BgpBackend == "gobgp")
        {
            NodeGoBgp.EnsureRunning(directory, state, node);
            backend = ["--bgp-backend", "gobgp", "--gobgp-api", NodeGoBgp.Api];
        }
        node.AgentPid = LabProcess.StartDetached(node.Namespace, node.Log, Path.Combine(binDirectory, Binary),
        [
            "--datastore", state.Datastore, "--node-name", node.Name, "--node-ip", node.Address,
            "--api-socket", node.ApiSocket, "--health-port", node.HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The plugin's attachment records of this node (CniRuntime's "dataDir"): pods the agent routes.
            "--cni-data-dir", CniRuntime.DataDir(directory, node.Name),
            .. backend,
        ]);
        directory.Save(state);
    }

    /// <summary>The marker that tells our agent's pid from a recycled one: its unique API socket path.</summary>
    public static bool IsRunning(LabNode node) => LabProcess.IsRunning(node.AgentPid, node.ApiSocket);

    public static void Stop(LabNode node) => LabProcess.Stop(node.AgentPid, node.ApiSocket, TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL by pid, as a crash or an OOM kill ends the agent: it gets no chance to do anything.</summary>
    public static void Kill(LabNode node) => LabProcess.Kill(node.AgentPid, node.ApiSocket, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Until every BGP session the agent has configured is Established (over its API socket); a
    /// rolling restart takes the next node only then, so at most one node is restarting at a time.
    /// A drained node's sessions (`routednetctl node drain`) stay down on purpose: they count as settled.
    /// </summary>
    public static async Task WaitSessionsAsync(LabNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            using (var connection = new RoutedNet.Ctl.Agent.NodeApiConnection(node.ApiSocket))
            {
                var peers = await connection.ListPeersAsync(cancellationToken).ConfigureAwait(false);
                var down = peers.Where(p => p.State != RoutedNet.Felix.Api.V1.SessionState.Established && p.Drain != "drained").Select(p => $"{p.Address} {p.State}").ToList();
                if (peers.Count > 0 && down.Count == 0)
                {
                    return;
                }
                last = peers.Count == 0 ? "no peers yet" : string.Join(", ", down);
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        throw new CtlException($"routednet-node on {node.Name}: BGP sessions not all Established after {timeout.TotalSeconds:0} s ({last}); log {node.Log}");
    }

    /// <summary>Polls /readyz until 200; fails with the agent's last log lines when it exits or takes too long.</summary>
    public static void WaitReady(LabNode node, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (!IsRunning(node))
            {
                throw new CtlException(CtlExitCode.Problem, $"routednet-node on {node.Name} exited: {LastLine(node.Log)} (log {node.Log})");
            }
            last = ReadyzAnswer(node);
            if (last.StartsWith("200", StringComparison.Ordinal))
            {
                return;
            }
            Thread.Sleep(200);
        }
        throw new CtlException(CtlExitCode.Problem, $"routednet-node on {node.Name} not ready after {timeout.TotalSeconds:0} s (/readyz: {last}); log {node.Log}");
    }

    /// <summary>Status code and body of GET /readyz, made from a socket opened inside the node's namespace.</summary>
    private static string ReadyzAnswer(LabNode node)
    {
        try
        {
            using var socket = NetworkNamespace.Run(LabTopology.NamespacePath(node.Namespace), () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            socket.ReceiveTimeout = 2000;
            socket.SendTimeout = 2000;
            socket.Connect(new IPEndPoint(IPAddress.Loopback, node.HealthPort));
            socket.Send(Encoding.ASCII.GetBytes("GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
            var response = new StringBuilder();
            var buffer = new byte[4096];
            for (int read; (read = socket.Receive(buffer)) > 0;)
            {
                response.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            var text = response.ToString();
            var status = text.Split(' ', 3) is [_, var code, ..] ? code : "?";
            var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is >= 0 and var at ? text[(at + 4)..].Trim() : "";
            return $"{status} {body}";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode.ToString();
        }
    }

    /// <summary>The log's last non-empty line: the agent's fatal error (clear and one line, by its contract).</summary>
    private static string LastLine(string log) =>
        File.Exists(log) ? File.ReadLines(log).LastOrDefault(l => l.Trim().Length > 0) ?? "(empty log)" : "(no log)";
}
