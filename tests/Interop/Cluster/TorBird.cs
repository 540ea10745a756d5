using System.Globalization;
using System.Text;
using RoutedNet.Tests.KubeCluster;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Cluster;

/// <summary>
/// BIRD 2 as the cluster's top-of-rack router, in the tor namespace on the bridge address: AS
/// <see cref="AsNumber"/>, one neighbour per node (AS 64512) with a TCP-MD5 password, so a
/// session can only come up when the node's agent signs its segments with the same key (the
/// kernel drops unsigned ones). Imports everything, exports nothing. Stopped by pid.
/// </summary>
public sealed class TorBird : IDisposable
{
    public const uint AsNumber = 64500;

    private const string Bird = "/usr/sbin/bird";
    private const string Birdc = "/usr/sbin/birdc";
    private readonly Daemon _daemon;
    private readonly string _dir;

    private TorBird(Daemon daemon, string dir)
    {
        _daemon = daemon;
        _dir = dir;
    }

    private string Socket => Path.Combine(_dir, "bird.ctl");

    public static async Task<TorBird> StartAsync(Tests.KubeCluster.Cluster cluster, string password)
    {
        Tools.Require(Bird, "bird2");
        Tools.Require(Birdc, "bird2");
        var dir = Path.Combine(cluster.Dir, "tor-bird");
        Directory.CreateDirectory(dir);
        var config = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $$"""
            router id {{ClusterNetwork.Gateway}};
            log "{{dir}}/bird.log" all;
            protocol device { scan time 10; }

            """));
        foreach (var kubelet in cluster.Kubelets)
        {
            config.Append(string.Create(CultureInfo.InvariantCulture, $$"""
                protocol bgp {{kubelet.Node.Name}} {
                    local {{ClusterNetwork.Gateway}} as {{AsNumber}};
                    neighbor {{kubelet.Node.Address}} as 64512;
                    password "{{password}}";
                    connect retry time 2; error wait time 1, 5;
                    ipv4 { import all; export none; };
                }

                """));
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "bird.conf"), config.ToString());
        var daemon = Daemon.Start(
            "ip",
            ["netns", "exec", cluster.Network.TorNamespace, Bird, "-f", "-c", Path.Combine(dir, "bird.conf"), "-s", Path.Combine(dir, "bird.ctl"), "-P", Path.Combine(dir, "bird.pid")],
            logPath: Path.Combine(dir, "bird.out"));
        var bird = new TorBird(daemon, dir);
        await Eventually.Until(() => File.Exists(bird.Socket) || daemon.HasExited, "BIRD's control socket");
        if (daemon.HasExited)
        {
            var log = daemon.Log();
            bird.Dispose();
            throw new InvalidOperationException($"bird exited: {log}");
        }
        return bird;
    }

    public string Cli(string command) => Proc.Check(Birdc, "-s", Socket, command).Stdout;

    public bool Established(string node) => Cli($"show protocols {node}").Contains("Established", StringComparison.Ordinal);

    /// <summary>Whether BIRD holds <paramref name="prefix"/> learned from <paramref name="node"/>, with that node's address as next hop.</summary>
    public bool Learned(string prefix, string node, string nextHop)
    {
        var route = Proc.Run(Birdc, "-s", Socket, $"show route {prefix} protocol {node}").Stdout;
        return route.Contains(prefix, StringComparison.Ordinal) && route.Contains("via " + nextHop, StringComparison.Ordinal);
    }

    public string Log() => File.Exists(Path.Combine(_dir, "bird.log")) ? File.ReadAllText(Path.Combine(_dir, "bird.log")) : _daemon.Log();

    public void Dispose() => _daemon.Dispose();
}
