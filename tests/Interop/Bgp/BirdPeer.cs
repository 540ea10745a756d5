using System.Globalization;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BIRD 2 started by the test inside a namespace with its own config, control socket, pid and log
/// files in a private directory; stopped by pid. `birdc` talks to it over the control socket.
/// </summary>
public sealed class BirdPeer : IDisposable
{
    private const string Bird = "/usr/sbin/bird";
    private const string Birdc = "/usr/sbin/birdc";
    private readonly Daemon _daemon;

    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "bird.ctl");

    private BirdPeer(string directory, Daemon daemon)
    {
        Directory = directory;
        _daemon = daemon;
    }

    /// <summary>
    /// Starts BIRD with <paramref name="config"/> (a full bird.conf; "@DIR@" is replaced by the private
    /// directory); <paramref name="gracefulRestartRecovery"/> is BIRD's -R: back from a crash with
    /// forwarding kept, announcing the restart and forwarding-state bits.
    /// </summary>
    public static BirdPeer Start(NetNs ns, string config, bool gracefulRestartRecovery = false)
    {
        Tools.Require(Bird, "bird2");
        Tools.Require(Birdc, "bird2");
        var directory = System.IO.Directory.CreateTempSubdirectory("rnt-bird-").FullName;
        var configPath = Path.Combine(directory, "bird.conf");
        File.WriteAllText(configPath, config.Replace("@DIR@", directory, StringComparison.Ordinal));
        var daemon = Daemon.Start(
            Bird,
            ["-f", "-c", configPath, "-s", Path.Combine(directory, "bird.ctl"), "-P", Path.Combine(directory, "bird.pid"), .. (gracefulRestartRecovery ? new[] { "-R" } : [])],
            ns,
            logPath: Path.Combine(directory, "bird.out"));
        var peer = new BirdPeer(directory, daemon);
        Eventually.Until(() => File.Exists(peer.Socket), "BIRD control socket").GetAwaiter().GetResult();
        return peer;
    }

    public string Cli(string command) => Proc.Check(Birdc, "-s", Socket, command).Stdout;

    public bool IsEstablished(string protocol) =>
        Cli($"show protocols {protocol}").Contains("Established", StringComparison.Ordinal);

    /// <summary>`show route all` for one prefix as BIRD sees it ("Network not found" when BIRD has no such route).</summary>
    public string Route(string prefix, string? protocol = null) =>
        Proc.Run(Birdc, "-s", Socket, $"show route {prefix} all{(protocol is null ? "" : $" protocol {protocol}")}").Stdout;

    public bool HasRoute(string prefix, string? protocol = null) =>
        Route(prefix, protocol).Contains(prefix, StringComparison.Ordinal);

    /// <summary>Simulates a crash: SIGKILL, no NOTIFICATION, no clean TCP shutdown by BIRD itself.</summary>
    public void Kill()
    {
        _daemon.Signal(9);
        _daemon.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>Freezes BIRD (SIGSTOP): it sends nothing and answers nothing, as a hung node would.</summary>
    public void Freeze() => _daemon.Signal(19);

    /// <summary>Lets a frozen BIRD run again (SIGCONT).</summary>
    public void Thaw() => _daemon.Signal(18);

    public string Log()
    {
        var log = Path.Combine(Directory, "bird.log");
        return File.Exists(log) ? File.ReadAllText(log) : _daemon.Log();
    }

    public void Dispose()
    {
        _daemon.Dispose();
        ScratchDirectory.Remove(Directory);
    }

    /// <summary>
    /// A ToR's config for one session with the agent across a <see cref="BgpLink"/>: it takes every
    /// route and announces its static ones (<paramref name="protocols"/>: the `protocol static`
    /// blocks, and any other, e.g. `protocol bfd`); <paramref name="extra"/> goes into the session's block.
    /// </summary>
    public static string TorConfig(string protocols, uint torAs, uint agentAs, string extra = "") => $$"""
        router id {{BgpLink.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        {{protocols}}
        protocol bgp agent {
            local {{BgpLink.PeerV4}} as {{Format(torAs)}};
            neighbor {{BgpLink.OurV4}} as {{Format(agentAs)}};
            {{FastTimers}}
            {{extra}}
            ipv4 { import all; export where source = RTS_STATIC; };
        }
        """;

    /// <summary>BIRD's line for its BFD session with <paramref name="neighbor"/> in `show bfd sessions` ("" without one).</summary>
    public string BfdSessionLine(string neighbor) =>
        Cli("show bfd sessions").Split('\n').FirstOrDefault(l => l.StartsWith(neighbor, StringComparison.Ordinal)) ?? "";

    /// <summary>Whether BIRD's BFD session with <paramref name="neighbor"/> is Up.</summary>
    public bool BfdUp(string neighbor) => BfdSessionLine(neighbor).Contains(" Up ", StringComparison.Ordinal);

    /// <summary>BIRD's timers set short so that tests converge quickly; the Calico-like defaults stay otherwise.</summary>
    public static string FastTimers => "connect delay time 1; connect retry time 2; error wait time 1, 5; hold time 9; keepalive time 3;";

    public static string Format(uint asn) => asn.ToString(CultureInfo.InvariantCulture);
}
