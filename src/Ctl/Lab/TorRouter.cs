using System.Globalization;
using System.Text;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The optional external router in the tor namespace (`--tor bird|frr|gobgp`): AS 64500 on the
/// bridge address, eBGP with every node through a dynamic neighbour range (172.18.0.0/16), so a
/// node added later peers without touching the router. The nodes share AS 64512, so the router
/// rewrites that AS in what it sends back (as-override), else each node would drop the others'
/// routes as a loop. With `--no-as-override` it sends the path as it is, as many ToRs do, and the
/// nodes take their own AS once (BGPPeer numAllowedLocalASNumbers: 1, Calico's answer to such a
/// ToR; BIRD and FRR only: GoBGP never sends a path to a peer whose AS is in it, see
/// <see cref="NoAsOverrideRefusal"/>). BIRD and FRR also install what they learn, so the tor can forward; GoBGP
/// (no kernel routes) passes the nodes' own next hops on (export policy).
///
/// Each router helps the nodes restart (graceful restart, RFC 4724): when an agent restarts, its
/// sessions close without a NOTIFICATION and the router keeps the node's routes as stale until the
/// new agent has sent them again, so a rolling restart of the agents loses nothing. BIRD and FRR
/// do this by default; it is spelled out here because it is what a ToR needs. GoBGP does it only
/// when asked, per neighbour and per family.
///
/// BIRD and FRR honour GRACEFUL_SHUTDOWN (65535:0, RFC 8326 §4.1, the receiver's side): a route
/// carrying it gets LOCAL_PREF 0, so a node drained with `routednetctl node drain` loses its traffic
/// to the other nodes before it withdraws. GoBGP's lab config has no such rule (its RIB is only read).
///
/// FRR's range is passive: the nodes always connect. FRR keeps a range neighbour it is helping
/// through a restart and connects out to it; that connection races the new agent's, and when FRR
/// resolves the collision (RFC 4271 §6.8) it deletes the range neighbour together with the session
/// that won, dropping the node's routes (FRR 8.4, seen in the lab's rolling restart).
/// </summary>
internal static class TorRouter
{
    public const uint AsNumber = 64500;
    public const uint NodeAsNumber = 64512;
    public static readonly string[] Kinds = ["bird", "frr", "gobgp"];

    /// <summary>The nodes' AS comes back once in each other node's route from a router without as-override.</summary>
    public const int AllowedLocalAsWithoutOverride = 1;

    /// <summary>
    /// Why `--tor gobgp --no-as-override` is refused: GoBGP 3.x checks the AS path before it sends
    /// (a path holding the peer's AS never goes to that peer, route-server clients included), so
    /// without replace-peer-as no node would learn another's block, whatever the nodes allow.
    /// </summary>
    public static readonly string NoAsOverrideRefusal =
        $"--no-as-override works with --tor bird or frr: GoBGP never sends a route to a peer whose AS ({NodeAsNumber}) is in its path, so the nodes would get nothing to allow";

    private const string Range = "172.18.0.0/16";

    /// <summary>
    /// Where the router's config, sockets and logs live. FRR's daemons drop root for user `frr`
    /// before they write their pid files and sockets, so their directory must be reachable by
    /// `frr`: a lab directory made 0700 (a test's temp dir) is not, and opening it would open the
    /// datastore too. FRR gets its own directory under /run instead, named for the lab's tor
    /// namespace (unique among live labs), owned by frr; BIRD and GoBGP run as root in tor/.
    /// </summary>
    public static string Dir(LabDirectory directory, LabState state) =>
        state.Tor == "frr" ? Path.Combine(FrrRoot, state.TorNamespace) : directory.Combine("tor");

    private const string FrrRoot = "/run/routednet-lab-frr";

    /// <summary>The binaries a kind needs, with the Debian package that has them.</summary>
    private static (string[] Binaries, string Package) Needs(string kind) => kind switch
    {
        "bird" => (["/usr/sbin/bird", "/usr/sbin/birdc"], "bird2"),
        "frr" => (["/usr/lib/frr/zebra", "/usr/lib/frr/bgpd", "/usr/bin/vtysh"], "frr"),
        _ => (["/usr/bin/gobgpd", "/usr/bin/gobgp"], "gobgpd"),
    };

    public static void RequireInstalled(string kind)
    {
        var (binaries, package) = Needs(kind);
        if (binaries.FirstOrDefault(b => !File.Exists(b)) is { } missing)
        {
            throw new CtlException($"--tor {kind} needs {missing}, which is not installed: apt-get install -y {package}");
        }
    }

    /// <summary>Writes the config, starts the daemon(s) in the tor namespace and records their pids.</summary>
    public static void Start(LabDirectory directory, LabState state, string kind, IEnumerable<string> nodeAddresses)
    {
        RequireInstalled(kind);
        state.Tor = kind;
        directory.Save(state);
        var dir = Dir(directory, state);
        if (kind == "frr" && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true); // a crashed lab's leftover: its namespace is gone, or up had refused it
        }
        Directory.CreateDirectory(dir);
        switch (kind)
        {
            case "bird":
                File.WriteAllText(Path.Combine(dir, "bird.conf"), BirdConfig(state.TorAsOverride));
                Record(directory, state, LabProcess.StartDetached(state.TorNamespace, Path.Combine(dir, "bird.log"), "/usr/sbin/bird",
                    ["-f", "-c", Path.Combine(dir, "bird.conf"), "-s", Path.Combine(dir, "bird.ctl"), "-P", Path.Combine(dir, "bird.pid")]));
                WaitSocket(state, dir, "bird", "bird.ctl", "bird.log");
                break;
            case "frr":
                File.WriteAllText(Path.Combine(dir, "zebra.conf"), $"hostname {state.TorNamespace}\n");
                File.WriteAllText(Path.Combine(dir, "bgpd.conf"), FrrConfig(state));
                File.WriteAllText(Path.Combine(dir, "vtysh.conf"), "");
                // FRR refuses to run as root (vty group check): its packaged user, owning its directory.
                LabCommandLine.Run("chown", ["-R", "frr:frr", dir]);
                LabCommandLine.Run("chmod", ["0700", dir]);
                foreach (var daemon in (string[])["zebra", "bgpd"])
                {
                    Record(directory, state, LabProcess.StartDetached(state.TorNamespace, Path.Combine(dir, daemon + ".out"), $"/usr/lib/frr/{daemon}",
                    [
                        "-u", "frr", "-g", "frr", "-P", "0", "-f", Path.Combine(dir, daemon + ".conf"), "-i", Path.Combine(dir, daemon + ".pid"),
                        "-z", Path.Combine(dir, "zserv.api"), "--vty_socket", dir, "--log", $"file:{Path.Combine(dir, daemon + ".log")}",
                    ]));
                    // bgpd connects to zebra's socket at start: each in turn, once its vty socket is there.
                    WaitSocket(state, dir, daemon, daemon + ".vty", daemon + ".out");
                }
                break;
            default:
                File.WriteAllText(Path.Combine(dir, "gobgpd.toml"), GoBgpConfig(nodeAddresses));
                Record(directory, state, LabProcess.StartDetached(state.TorNamespace, Path.Combine(dir, "gobgpd.log"), "/usr/bin/gobgpd",
                    ["-f", Path.Combine(dir, "gobgpd.toml"), "-p", "--api-hosts", "127.0.0.1:50051", "--pprof-disable"]));
                break;
        }
    }

    /// <summary>A node joined: BIRD and FRR accept it through their dynamic range; GoBGP gets a new neighbour list.</summary>
    public static void NodeAdded(LabDirectory directory, LabState state)
    {
        if (state.Tor == "gobgp")
        {
            File.WriteAllText(Path.Combine(Dir(directory, state), "gobgpd.toml"), GoBgpConfig(state.Nodes.Select(n => n.Address)));
            LabProcess.Reload(state.TorPids[0], Dir(directory, state));
        }
    }

    /// <summary>The router's sessions and learned routes, as its own CLI prints them.</summary>
    public static string Summary(LabDirectory directory, LabState state)
    {
        var dir = Dir(directory, state);
        return state.Tor switch
        {
            "bird" => LabCommandLine.Run("/usr/sbin/birdc", ["-s", Path.Combine(dir, "bird.ctl"), "show protocols"])
                + LabCommandLine.Run("/usr/sbin/birdc", ["-s", Path.Combine(dir, "bird.ctl"), "show route"]),
            "frr" => LabCommandLine.Run("/usr/bin/vtysh", ["--vty_socket", dir, "--config_dir", dir, "-c", "show bgp summary", "-c", "show ip route bgp"]),
            "gobgp" => LabCommandLine.Run("ip", ["netns", "exec", state.TorNamespace, "/usr/bin/gobgp", "neighbor"])
                + LabCommandLine.Run("ip", ["netns", "exec", state.TorNamespace, "/usr/bin/gobgp", "global", "rib"]),
            _ => "",
        };
    }

    /// <summary>The recorded pids still running the router (marker: our tor directory in their command line).</summary>
    public static void Stop(LabDirectory directory, LabState state)
    {
        foreach (var pid in state.TorPids)
        {
            LabProcess.Stop(pid, Dir(directory, state), TimeSpan.FromSeconds(5));
        }
        if (state.Tor == "frr" && Directory.Exists(Dir(directory, state)))
        {
            Directory.Delete(Dir(directory, state), recursive: true);
        }
    }

    /// <summary>
    /// Until the daemon just started (the last recorded pid) has made its control socket; if it
    /// exits first or takes too long, one error line with the last line of its log.
    /// </summary>
    private static void WaitSocket(LabState state, string dir, string daemon, string socket, string log)
    {
        var pid = state.TorPids[^1];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(dir, socket)))
        {
            if (!LabProcess.IsRunning(pid, dir) || clock.Elapsed > SocketTimeout)
            {
                var last = File.Exists(Path.Combine(dir, log)) ? File.ReadLines(Path.Combine(dir, log)).LastOrDefault() : null;
                throw new CtlException(CtlExitCode.Problem, $"--tor {state.Tor}: {daemon} (pid {pid}) {(LabProcess.IsRunning(pid, dir) ? "made no " + socket + " in " + SocketTimeout.TotalSeconds + " s" : "exited")}: {last ?? "no output"} ({Path.Combine(dir, log)})");
            }
            Thread.Sleep(20);
        }
    }

    private static readonly TimeSpan SocketTimeout = TimeSpan.FromSeconds(10);

    private static void Record(LabDirectory directory, LabState state, int pid)
    {
        state.TorPids.Add(pid);
        directory.Save(state);
    }

    /// <summary>BIRD has no as-override: its export filter deletes the nodes' AS from the path instead.</summary>
    private static string BirdConfig(bool asOverride) => string.Create(CultureInfo.InvariantCulture, $$"""
        router id {{LabTopology.Gateway}};
        protocol device { scan time 10; }
        protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; merge paths on; }
        protocol bgp nodes {
            local {{LabTopology.Gateway}} as {{AsNumber}};
            neighbor range {{Range}} as {{NodeAsNumber}};
            dynamic name "peer";
            graceful restart on;
            # ADD-PATH receive (RFC 7911): every path a route reflector node offers, for ECMP behind it.
            # Graceful shutdown (RFC 8326): a draining node's routes lose to the others before it withdraws.
            ipv4 {
                import filter { if (65535, 0) ~ bgp_community then bgp_local_pref = 0; accept; };
                export filter { {{(asOverride ? $"bgp_path.delete({NodeAsNumber}); " : "")}}accept; };
                add paths rx;
            };
        }

        """);

    private static string FrrConfig(LabState state) => string.Create(CultureInfo.InvariantCulture, $"""
        frr defaults datacenter
        hostname {state.TorNamespace}
        router bgp {AsNumber}
         bgp router-id {LabTopology.Gateway}
         no bgp ebgp-requires-policy
         bgp bestpath as-path multipath-relax
         bgp graceful-restart
         neighbor nodes peer-group
         neighbor nodes remote-as {NodeAsNumber}
         neighbor nodes passive
         bgp listen range {Range} peer-group nodes
         address-family ipv4 unicast
          neighbor nodes activate
          {(state.TorAsOverride ? "neighbor nodes as-override" : "! no as-override (lab up --no-as-override): the nodes allow their own AS")}
          neighbor nodes route-map nodes-in in
         exit-address-family
        bgp community-list standard gshut permit graceful-shutdown
        route-map nodes-in permit 10
         match community gshut
         set local-preference 0
        route-map nodes-in permit 20

        """);

    /// <summary>
    /// GoBGP 3.10 applies as-path-options (replace-peer-as) to configured neighbours only, not to
    /// dynamic ones: one neighbour per node, and the file is rewritten and reloaded (SIGHUP) when one joins.
    /// GoBGP installs nothing in the kernel, so its export policy keeps the nodes' own next hops.
    /// </summary>
    private static string GoBgpConfig(IEnumerable<string> nodeAddresses)
    {
        var b = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            [global.config]
              as = {AsNumber}
              router-id = "{LabTopology.Gateway}"
              local-address-list = ["{LabTopology.Gateway}"]
              [global.apply-policy.config]
                export-policy-list = ["next-hop-unchanged"]
                default-export-policy = "accept-route"
            [[policy-definitions]]
              name = "next-hop-unchanged"
              [[policy-definitions.statements]]
                name = "keep"
                [policy-definitions.statements.actions]
                  route-disposition = "accept-route"
                  [policy-definitions.statements.actions.bgp-actions]
                    set-next-hop = "unchanged"

            """));
        foreach (var address in nodeAddresses)
        {
            b.Append(string.Create(CultureInfo.InvariantCulture, $"""
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "{address}"
                    peer-as = {NodeAsNumber}
                  [neighbors.as-path-options.config]
                    replace-peer-as = true
                  [neighbors.transport.config]
                    passive-mode = true
                  [neighbors.graceful-restart.config]
                    enabled = true
                    restart-time = 120
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                    [neighbors.afi-safis.mp-graceful-restart.config]
                      enabled = true
                    [neighbors.afi-safis.add-paths.config]
                      receive = true

                """));
        }
        return b.ToString();
    }
}
