using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// GoBGP's gobgpd in a namespace with a TOML config in a private directory; its gRPC API listens on
/// the namespace's own loopback, so the `gobgp` CLI runs inside the namespace too. Stopped by pid.
/// </summary>
public sealed class GoBgpPeer : IDisposable
{
    private const string Gobgpd = "/usr/bin/gobgpd";
    private const string Gobgp = "/usr/bin/gobgp";
    private const string ApiPort = "50051";
    private readonly NetNs _ns;
    private readonly Daemon _daemon;
    private readonly string _directory;

    private GoBgpPeer(NetNs ns, Daemon daemon, string directory)
    {
        _ns = ns;
        _daemon = daemon;
        _directory = directory;
    }

    public static GoBgpPeer Start(NetNs ns, string toml)
    {
        Tools.Require(Gobgpd, "gobgpd");
        Tools.Require(Gobgp, "gobgpd");
        var directory = Directory.CreateTempSubdirectory("rnt-gobgp-").FullName;
        var config = Path.Combine(directory, "gobgpd.toml");
        File.WriteAllText(config, toml);
        var daemon = Daemon.Start(Gobgpd, ["-f", config, "-p", "--api-hosts", $"127.0.0.1:{ApiPort}", "--pprof-disable"], ns, logPath: Path.Combine(directory, "gobgpd.log"));
        var peer = new GoBgpPeer(ns, daemon, directory);
        Eventually.Until(() => peer.Cli("global").Succeeded, "gobgpd API").GetAwaiter().GetResult();
        return peer;
    }

    public ProcessResult Cli(params string[] args) => _ns.Exec(Gobgp, ["-p", ApiPort, .. args]);

    /// <summary>`gobgp global rib -a FAMILY -j` as a prefix → paths map.</summary>
    public JsonElement Rib(string family)
    {
        var result = Cli("global", "rib", "-a", family, "-j").EnsureSuccess();
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Stdout) ? "{}" : result.Stdout);
        return document.RootElement.Clone();
    }

    public bool HasRoute(string prefix)
    {
        var rib = Rib(prefix.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4");
        return rib.ValueKind == JsonValueKind.Object && rib.TryGetProperty(prefix, out _);
    }

    /// <summary>The session with <paramref name="address"/> is Established, as `gobgp neighbor` lists it (its state column).</summary>
    public bool IsEstablished(string address) =>
        Cli("neighbor").Stdout.Split('\n').Any(line => line.TrimStart().StartsWith(address + " ", StringComparison.Ordinal) && line.Contains("Establ", StringComparison.Ordinal));

    public string Log() => _daemon.Log();

    public void Dispose()
    {
        _daemon.Dispose();
        ScratchDirectory.Remove(_directory);
    }

    /// <summary>
    /// gobgpd's config for one session with us across a <see cref="BgpLink"/> (short timers;
    /// IPv4 unicast, and IPv6 unicast when <paramref name="ipv6"/>).
    /// </summary>
    public static string LinkConfig(uint localAs, uint peerAs, bool ipv6 = false)
    {
        var config = $"""
            [global.config]
              as = {localAs}
              router-id = "{BgpLink.PeerV4}"
              local-address-list = ["{BgpLink.PeerV4}"]
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "{BgpLink.OurV4}"
                peer-as = {peerAs}
              [neighbors.timers.config]
                connect-retry = 2
                hold-time = 9
                keepalive-interval = 3
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"

            """;
        return ipv6 ? config + """
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv6-unicast"

            """ : config;
    }
}
