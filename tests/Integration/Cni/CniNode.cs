using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Cni;

/// <summary>
/// A node for CNI tests: a fresh netns that plays the node (the plugin runs inside it), with an
/// uplink veth to a "tor" netns and a default route through it — proxy ARP for 169.254.1.1 only
/// answers when the node routes 169.254.1.1 somewhere else, and this kernel has no dummy module.
/// host-local's state and our attachment records live in a private temp dir. Dispose deletes the
/// pods' namespaces, the node, the tor and the temp dir.
/// </summary>
public sealed class CniNode : IDisposable
{
    public const string Subnet = "10.250.0.0/24";
    public const string Subnet6 = "fd00:250::/120";
    public const string NodeAddress = "172.31.0.2";
    public const string UplinkName = "uplink0";
    public const string ReferencePlugins = "/usr/lib/cni";

    private readonly List<NetNs> _pods = [];

    public CniNode()
    {
        Tools.Require("/usr/sbin/ip", "iproute2");
        Tools.Require(Path.Combine(ReferencePlugins, "host-local"), "containernetworking-plugins");
        Binary = RepoPaths.Binary("routednet");
        Netns = NetNs.Create();
        Tor = NetNs.Create();
        Netns.Link(UplinkName, Tor, "down0", NodeAddress + "/24", "172.31.0.1/24");
        Netns.Check("ip", "route", "add", "default", "via", "172.31.0.1");
        StateDir = Directory.CreateTempSubdirectory("rnt-cni-").FullName;
    }

    public NetNs Netns { get; }

    public NetNs Tor { get; }

    public string Binary { get; }

    public string StateDir { get; }

    public string IpamDir => Path.Combine(StateDir, "ipam");

    public string RecordsDir => Path.Combine(StateDir, "records");

    /// <summary>Directories the plugin searches for IPAM: ours first, then the reference plugins.</summary>
    public string CniPath { get; set; } = $"{RepoPaths.OutBin}:{ReferencePlugins}";

    public CniPod NewPod(string? name = null)
    {
        var netns = NetNs.Create();
        _pods.Add(netns);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return new CniPod(netns, "ctr-" + id, name ?? "pod-" + id[..6]);
    }

    /// <summary>A `routednet` network config with host-local IPAM in this node's state dir.</summary>
    public JsonObject Config(string version = "1.0.0", bool dualStack = false, int? mtu = null)
    {
        var ranges = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = Subnet }));
        if (dualStack)
        {
            ranges.Add((JsonNode)new JsonArray(new JsonObject { ["subnet"] = Subnet6 }));
        }
        var config = new JsonObject
        {
            ["cniVersion"] = version,
            ["name"] = "rnt-net",
            ["type"] = "routednet",
            ["dataDir"] = RecordsDir,
            ["ipam"] = new JsonObject { ["type"] = "host-local", ["ranges"] = ranges, ["dataDir"] = IpamDir },
        };
        if (mtu is not null)
        {
            config["mtu"] = mtu;
        }
        return config;
    }

    /// <summary>Runs our binary for <paramref name="pod"/> inside the node, as a runtime does.</summary>
    public Task<CniCall> Run(string command, CniPod pod, JsonNode config, string? netns = null, string ifName = "eth0", string? binary = null) =>
        Exec(binary ?? Binary, command, config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = netns ?? pod.Netns.Path,
            ["CNI_IFNAME"] = ifName,
            ["CNI_ARGS"] = pod.Args,
        });

    /// <summary>Runs any plugin with exactly the given stdin and CNI_* variables (plus CNI_PATH unless given).</summary>
    public async Task<CniCall> Exec(string plugin, string command, string stdin, IReadOnlyDictionary<string, string?> variables)
    {
        var env = new Dictionary<string, string?>(variables) { ["CNI_COMMAND"] = command };
        env.TryAdd("CNI_PATH", CniPath);
        var result = await Proc.RunAsync("ip", ["netns", "exec", Netns.Name, plugin], stdin, env).ConfigureAwait(false);
        return new CniCall($"{command} {Path.GetFileName(plugin)}", result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>`ip -n NODE args`, output on success.</summary>
    public string Ip(params string[] args) => Proc.Check("ip", ["-n", Netns.Name, .. args]).Stdout;

    /// <summary>Host veths of ours in the node (name shape rn + 13 hex).</summary>
    public IReadOnlyList<string> OurVeths() =>
        [.. Ip("-o", "link", "show", "type", "veth").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0])
            .Where(name => name.Length == 15 && name.StartsWith("rn", StringComparison.Ordinal))];

    public string Sysctl(string path) => Netns.Check("cat", "/proc/sys/net/" + path).Stdout.Trim();

    /// <summary>Whether host-local still holds <paramref name="address"/> (one file per allocated IP).</summary>
    public bool IsAllocated(string address) =>
        Directory.Exists(IpamDir) && Directory.EnumerateFiles(IpamDir, "*", SearchOption.AllDirectories)
            .Any(f => Path.GetFileName(f) == address.Split('/')[0]);

    public int AllocatedCount() =>
        !Directory.Exists(IpamDir) ? 0 : Directory.EnumerateFiles(IpamDir, "*", SearchOption.AllDirectories)
            .Count(f => System.Net.IPAddress.TryParse(Path.GetFileName(f), out _));

    public static string Bare(string cidr) => cidr.Split('/')[0];

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }
        Netns.Dispose();
        Tor.Dispose();
        Directory.Delete(StateDir, recursive: true);
    }
}
