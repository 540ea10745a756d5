using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// FRR 8.4 zebra + bgpd in a namespace, run in the foreground as the packaged `frr` user (FRR
/// refuses root without the frrvty group) with config, pid, zserv and vty sockets in a private
/// directory; `vtysh --vty_socket` talks to it. With BFD, bfdd too (bgpd reaches it through
/// zebra; its control socket is in the same directory). Stopped by pid.
/// </summary>
public sealed class FrrPeer : IDisposable
{
    private const string Zebra = "/usr/lib/frr/zebra";
    private const string Bgpd = "/usr/lib/frr/bgpd";
    private const string Vtysh = "/usr/bin/vtysh";
    private const string Bfdd = "/usr/lib/frr/bfdd";
    private readonly Daemon _zebra;
    private readonly Daemon _bgpd;
    private Daemon? _bfdd;

    public string Directory { get; }

    private FrrPeer(string directory, Daemon zebra, Daemon bgpd)
    {
        Directory = directory;
        _zebra = zebra;
        _bgpd = bgpd;
    }

    /// <summary>Starts zebra, bfdd when <paramref name="bfd"/>, and bgpd; <paramref name="bgpdConfig"/> may use "@DIR@" for the private directory.</summary>
    public static FrrPeer Start(NetNs ns, string bgpdConfig, bool bfd = false)
    {
        Tools.Require(Zebra, "frr");
        Tools.Require(Bgpd, "frr");
        Tools.Require(Vtysh, "frr");
        var directory = System.IO.Directory.CreateTempSubdirectory("rnt-frr-").FullName;
        File.WriteAllText(Path.Combine(directory, "zebra.conf"), "hostname rnt-frr\n");
        File.WriteAllText(Path.Combine(directory, "bgpd.conf"), bgpdConfig.Replace("@DIR@", directory, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(directory, "vtysh.conf"), "");
        Proc.Check("chown", "-R", "frr:frr", directory);
        Proc.Check("chmod", "755", directory);
        string[] common = ["-u", "frr", "-g", "frr", "-P", "0", "-z", Path.Combine(directory, "zserv.api"), "--vty_socket", directory];
        var zebra = Daemon.Start(Zebra, [.. common, "-f", Path.Combine(directory, "zebra.conf"), "-i", Path.Combine(directory, "zebra.pid")], ns, logPath: Path.Combine(directory, "zebra.out"));
        Eventually.Until(() => File.Exists(Path.Combine(directory, "zserv.api")), "zebra's zserv socket").GetAwaiter().GetResult();
        Daemon? bfdd = null;
        if (bfd)
        {
            Tools.Require(Bfdd, "frr");
            File.WriteAllText(Path.Combine(directory, "bfdd.conf"), "");
            Proc.Check("chown", "frr:frr", Path.Combine(directory, "bfdd.conf"));
            bfdd = Daemon.Start(Bfdd, [.. common, "-f", Path.Combine(directory, "bfdd.conf"), "-i", Path.Combine(directory, "bfdd.pid"), "--bfdctl", Path.Combine(directory, "bfdd.sock")], ns, logPath: Path.Combine(directory, "bfdd.out"));
            Eventually.Until(() => File.Exists(Path.Combine(directory, "bfdd.vty")), "bfdd's vty socket").GetAwaiter().GetResult();
        }
        var bgpd = Daemon.Start(Bgpd, [.. common, "-f", Path.Combine(directory, "bgpd.conf"), "-i", Path.Combine(directory, "bgpd.pid")], ns, logPath: Path.Combine(directory, "bgpd.out"));
        var peer = new FrrPeer(directory, zebra, bgpd) { _bfdd = bfdd };
        Eventually.Until(() => File.Exists(Path.Combine(directory, "bgpd.vty")), "bgpd's vty socket").GetAwaiter().GetResult();
        return peer;
    }

    public string Vty(string command) =>
        Proc.Run(Vtysh, "--vty_socket", Directory, "--config_dir", Directory, "-c", command).Stdout;

    /// <summary>The paths FRR holds for one prefix (`show bgp ... json`); empty when it has none.</summary>
    public JsonElement[] Paths(string prefix)
    {
        var family = prefix.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4";
        var json = Vty($"show bgp {family} unicast {prefix} json");
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("paths", out var paths) ? [.. paths.EnumerateArray().Select(p => p.Clone())] : [];
    }

    /// <summary>bfdd's session with <paramref name="peer"/> (`show bfd peer X json`: "status" up/down/init, the timers); null when it has none.</summary>
    public JsonElement? BfdPeer(string peer)
    {
        var json = Vty($"show bfd peer {peer} json");
        if (string.IsNullOrWhiteSpace(json) || !json.TrimStart().StartsWith('{'))
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Freezes every FRR daemon (SIGSTOP): nothing sent, nothing answered, TCP left open, as a hung router.</summary>
    public void Freeze()
    {
        foreach (var daemon in Daemons())
        {
            daemon.Signal(19);
        }
    }

    /// <summary>Lets a frozen FRR run again (SIGCONT).</summary>
    public void Thaw()
    {
        foreach (var daemon in Daemons())
        {
            daemon.Signal(18);
        }
    }

    private IEnumerable<Daemon> Daemons() => _bfdd is null ? [_zebra, _bgpd] : [_zebra, _bfdd, _bgpd];

    public bool IsEstablished(string neighbor)
    {
        using var document = JsonDocument.Parse(Vty($"show bgp neighbors {neighbor} json"));
        return document.RootElement.TryGetProperty(neighbor, out var n) && n.GetProperty("bgpState").GetString() == "Established";
    }

    public void Dispose()
    {
        _bgpd.Dispose();
        _bfdd?.Dispose();
        _zebra.Dispose();
        ScratchDirectory.Remove(Directory);
    }
}
