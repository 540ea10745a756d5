using System.Globalization;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// The lab's external router, found the way an operator would: the tor namespace is the peer of
/// node 1's uplink (`link-netns`), the router is the bird, bgpd or gobgpd process in it, and its
/// control socket is on its command line. <see cref="Routes"/> asks it with its own CLI (birdc /
/// vtysh / gobgp, the last inside the namespace, where gobgpd's API listens on loopback).
/// </summary>
public sealed partial class TorRouter
{
    private readonly string _cli;
    private readonly string[] _cliArgs;

    private TorRouter(string ns, string cli, string[] cliArgs)
    {
        Namespace = ns;
        _cli = cli;
        _cliArgs = cliArgs;
    }

    public string Namespace { get; }

    public static TorRouter Find(LabNode node)
    {
        var link = Proc.Check("ip", "-n", node.Namespace, "-d", "link").Stdout;
        var ns = LinkNetns().Match(link) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no veth to another namespace on {node.Name}:\n{link}");
        foreach (var pid in Proc.Check("ip", "netns", "pids", ns).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var argv = File.ReadAllText($"/proc/{pid.Trim()}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            switch (Path.GetFileName(argv[0]))
            {
                case "bird":
                    return new TorRouter(ns, Tools.Require("/usr/sbin/birdc", "bird2"), ["-s", After(argv, "-s") ?? "/run/bird/bird.ctl"]);
                case "bgpd":
                    // vtysh finds bgpd by its vty socket directory and reads vtysh.conf from the config's directory.
                    string[] vty = After(argv, "--vty_socket") is { } dir ? ["--vty_socket", dir] : [];
                    string[] config = After(argv, "-f") is { } file ? ["--config_dir", Path.GetDirectoryName(file)!] : [];
                    return new TorRouter(ns, Tools.Require("/usr/bin/vtysh", "frr"), [.. vty, .. config]);
                case "gobgpd":
                    string[] api = After(argv, "--api-hosts") is { } hosts ? ["--host", hosts.Split(':')[0], "--port", hosts.Split(':')[1]] : [];
                    return new TorRouter(ns, "ip", ["netns", "exec", ns, Tools.Require("/usr/bin/gobgp", "gobgpd"), .. api]);
            }
        }
        throw new InvalidOperationException($"no bird, bgpd or gobgpd process in {ns}");
    }

    /// <summary>GoBGP installs nothing in the kernel: traffic from the tor namespace has no route to the pods there.</summary>
    public bool Forwards => Path.GetFileName(_cli) != "ip";

    /// <summary>The router's own view of its best routes, as text (`birdc show route`, `vtysh -c 'show ip bgp'`, `gobgp global rib`).</summary>
    public string Routes() => Path.GetFileName(_cli) switch
    {
        "birdc" => Proc.Check(_cli, [.. _cliArgs, "show", "route"]).Stdout,
        "vtysh" => Proc.Check(_cli, [.. _cliArgs, "-c", "show ip bgp"]).Stdout,
        _ => Proc.Check(_cli, [.. _cliArgs, "global", "rib"]).Stdout,
    };

    /// <summary>Every path of <paramref name="prefix"/> with its attributes (communities, local preference), in the router's own words.</summary>
    public string Detail(string prefix) => Path.GetFileName(_cli) switch
    {
        "birdc" => Proc.Check(_cli, [.. _cliArgs, "show", "route", "all", prefix]).Stdout,
        "vtysh" => Proc.Check(_cli, [.. _cliArgs, "-c", $"show ip bgp {prefix}"]).Stdout,
        _ => Proc.Check(_cli, [.. _cliArgs, "global", "rib", prefix, "-j"]).Stdout,
    };

    /// <summary>
    /// True while <paramref name="prefix"/> is in the router's BGP table, stale or not (asked for that
    /// one prefix; each CLI's "not found" answer does not repeat the prefix).
    /// </summary>
    public bool Has(string prefix)
    {
        var result = Path.GetFileName(_cli) switch
        {
            "birdc" => Proc.Run(_cli, [.. _cliArgs, "show", "route", prefix]),
            "vtysh" => Proc.Run(_cli, [.. _cliArgs, "-c", $"show ip bgp {prefix}"]),
            _ => Proc.Run(_cli, [.. _cliArgs, "global", "rib", prefix]),
        };
        return result.Stdout.Contains(prefix, StringComparison.Ordinal);
    }

    /// <summary>True when the router holds <paramref name="prefix"/> with <paramref name="nextHop"/> as a next hop.</summary>
    public bool Learned(string prefix, string nextHop)
    {
        var text = Routes();
        var at = text.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }
        // The entry runs until the next prefix; BIRD and FRR both print the next hop inside it.
        var next = Prefix().Match(text, at + prefix.Length);
        var entry = text[at..(next.Success ? next.Index : text.Length)];
        return entry.Contains(nextHop, StringComparison.Ordinal);
    }

    /// <summary>
    /// The next hops of every path the router holds for <paramref name="prefix"/>, best or not
    /// (BIRD lists each route's `via`; FRR's and GoBGP's JSON name each path's next hop).
    /// </summary>
    public IReadOnlySet<string> NextHops(string prefix)
    {
        var (text, pattern) = Path.GetFileName(_cli) switch
        {
            "birdc" => (Proc.Check(_cli, [.. _cliArgs, "show", "route", prefix]).Stdout, BirdVia()),
            "vtysh" => (Proc.Check(_cli, [.. _cliArgs, "-c", $"show ip bgp {prefix} json"]).Stdout, FrrNextHop()),
            _ => (Proc.Check(_cli, [.. _cliArgs, "global", "rib", prefix, "-j"]).Stdout, GoBgpNextHop()),
        };
        return pattern.Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [GeneratedRegex(@"via (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex BirdVia();

    [GeneratedRegex(@"""nexthops"":\s*\[\s*\{\s*""ip"":\s*""([^""]+)""")]
    private static partial Regex FrrNextHop();

    [GeneratedRegex(@"""nexthop"":""([^""]+)""")]
    private static partial Regex GoBgpNextHop();

    /// <summary>
    /// The last lines of the router's own log, for a failure report: the lab keeps it next to the
    /// control socket (bird.log, FRR's bgpd.log); GoBGP's is not there, so none.
    /// </summary>
    public IReadOnlyList<string> LogTail(int lines)
    {
        var dir = Path.GetFileName(_cli) switch
        {
            "birdc" => Path.GetDirectoryName(After(_cliArgs, "-s") ?? ""),
            "vtysh" => After(_cliArgs, "--vty_socket"),
            _ => null,
        };
        var log = dir is null ? null : new[] { "bird.log", "bgpd.log" }.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);
        return log is null ? [] : File.ReadLines(log).TakeLast(lines).ToList();
    }

    private static string? After(string[] argv, string flag)
    {
        var i = Array.IndexOf(argv, flag);
        return i >= 0 && i + 1 < argv.Length ? argv[i + 1] : null;
    }

    [GeneratedRegex(@"link-netns (\S+)")]
    private static partial Regex LinkNetns();

    [GeneratedRegex(@"\d+\.\d+\.\d+\.\d+/\d+")]
    private static partial Regex Prefix();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_cli} in {Namespace}");
}
