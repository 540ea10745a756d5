using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// FRR 8.4 zebra + bgpd in a namespace, run in the foreground as the packaged `frr` user (FRR
/// refuses root without the frrvty group) with config, pid, zserv and vty sockets in a private
/// directory; `vtysh --vty_socket` talks to it. Stopped by pid.
/// </summary>
public sealed class FrrPeer : IDisposable
{
    private const string Zebra = "/usr/lib/frr/zebra";
    private const string Bgpd = "/usr/lib/frr/bgpd";
    private const string Vtysh = "/usr/bin/vtysh";
    private readonly Daemon _zebra;
    private readonly Daemon _bgpd;

    public string Directory { get; }

    private FrrPeer(string directory, Daemon zebra, Daemon bgpd)
    {
        Directory = directory;
        _zebra = zebra;
        _bgpd = bgpd;
    }

    /// <summary>Starts zebra and bgpd; <paramref name="bgpdConfig"/> may use "@DIR@" for the private directory.</summary>
    public static FrrPeer Start(NetNs ns, string bgpdConfig)
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
        var bgpd = Daemon.Start(Bgpd, [.. common, "-f", Path.Combine(directory, "bgpd.conf"), "-i", Path.Combine(directory, "bgpd.pid")], ns, logPath: Path.Combine(directory, "bgpd.out"));
        var peer = new FrrPeer(directory, zebra, bgpd);
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

    public bool IsEstablished(string neighbor)
    {
        using var document = JsonDocument.Parse(Vty($"show bgp neighbors {neighbor} json"));
        return document.RootElement.TryGetProperty(neighbor, out var n) && n.GetProperty("bgpState").GetString() == "Established";
    }

    public void Dispose()
    {
        _bgpd.Dispose();
        _zebra.Dispose();
        ScratchDirectory.Remove(Directory);
    }
}
