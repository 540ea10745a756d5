using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// A node's own gobgpd, for `lab up --bgp-backend gobgp`: it runs in the node's namespace with its
/// API on that namespace's loopback, and its agent drives it (`--bgp-backend gobgp --gobgp-api`).
/// It is started once and outlives the agent's restarts, as a sidecar container would: the
/// sessions are gobgpd's, so restarting the agent does not touch them. Its config file (in the lab
/// directory, which also makes its command line ours to recognise) names only the node's identity;
/// everything else comes from the agent.
/// </summary>
internal static class NodeGoBgp
{
    public const string Binary = "/usr/bin/gobgpd";
    public const string Api = "127.0.0.1:50051";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    public static void RequireInstalled()
    {
        if (!File.Exists(Binary))
        {
            throw new CtlException($"--bgp-backend gobgp needs {Binary}, which is not installed: apt-get install -y gobgpd");
        }
    }

    /// <summary>Starts the node's gobgpd unless it already runs, and waits until its API answers.</summary>
    public static void EnsureRunning(LabDirectory directory, LabState state, LabNode node)
    {
        var config = ConfigPath(directory, node);
        if (LabProcess.IsRunning(node.GoBgpPid, config))
        {
            return;
        }
        RequireInstalled();
        File.WriteAllText(config, $"""
            [global.config]
              as = {TorRouter.NodeAsNumber}
              router-id = "{node.Address}"

            """);
        var log = directory.Combine($"{node.Name}-gobgpd.log");
        node.GoBgpPid = LabProcess.StartDetached(node.Namespace, log, Binary, ["-f", config, "-p", "--api-hosts", Api, "--pprof-disable"]);
        directory.Save(state);
        var clock = Stopwatch.StartNew();
        while (!ApiAnswers(node))
        {
            if (!LabProcess.IsRunning(node.GoBgpPid, config) || clock.Elapsed > StartTimeout)
            {
                var last = File.Exists(log) ? File.ReadLines(log).LastOrDefault(l => l.Trim().Length > 0) : null;
                throw new CtlException($"gobgpd on {node.Name} (pid {node.GoBgpPid}) {(LabProcess.IsRunning(node.GoBgpPid, config) ? $"does not listen on {Api} after {StartTimeout.TotalSeconds:0} s" : "exited")}: {last ?? "no output"} ({log})");
            }
            Thread.Sleep(50);
        }
    }

    public static void Stop(LabDirectory directory, LabNode node) =>
        LabProcess.Stop(node.GoBgpPid, ConfigPath(directory, node), TimeSpan.FromSeconds(5));

    private static string ConfigPath(LabDirectory directory, LabNode node) => directory.Combine($"{node.Name}-gobgpd.toml");

    private static bool ApiAnswers(LabNode node)
    {
        try
        {
            using var socket = NetworkNamespace.Run(LabTopology.NamespacePath(node.Namespace), () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            socket.Connect(IPEndPoint.Parse(Api));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
