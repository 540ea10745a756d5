using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.GoBgpBackend;

/// <summary>
/// A bare gobgpd (no config file: the backend under test starts its BGP instance over the API) whose
/// gRPC API listens on loopback at a free port of its own, read back with the `gobgp` CLI; inside a
/// node's namespace when given one (as a node's own gobgpd runs beside its agent). Stopped by pid.
/// </summary>
public sealed class GoBgpDaemon : IDisposable
{
    private const string Gobgpd = "/usr/bin/gobgpd";
    private const string Gobgp = "/usr/bin/gobgp";

    /// <summary>The API port in a namespace of its own, where nothing else listens.</summary>
    private const int NamespacePort = 50051;

    private readonly Daemon _daemon;
    private readonly NetNs? _ns;

    private GoBgpDaemon(Daemon daemon, int apiPort, NetNs? ns)
    {
        _daemon = daemon;
        ApiPort = apiPort;
        _ns = ns;
    }

    public int ApiPort { get; }

    /// <summary>HOST:PORT, as `--gobgp-api` takes it.</summary>
    public string Api => $"127.0.0.1:{ApiPort}";

    public static async Task<GoBgpDaemon> StartAsync(NetNs? ns = null)
    {
        Tools.Require(Gobgpd, "gobgpd");
        Tools.Require(Gobgp, "gobgpd");
        var apiPort = ns is null ? FreeLoopbackPort() : NamespacePort;
        var daemon = Daemon.Start(Gobgpd, ["-p", "--api-hosts", $"127.0.0.1:{apiPort}", "--pprof-disable"], ns);
        var gobgp = new GoBgpDaemon(daemon, apiPort, ns);
        await Eventually.Until(() => gobgp.Cli("global", "-j").Succeeded, "gobgpd API");
        return gobgp;
    }

    public ProcessResult Cli(params string[] args)
    {
        string[] argv = ["-u", "127.0.0.1", "-p", ApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args];
        return _ns is null ? Proc.Run(Gobgp, argv) : _ns.Exec(Gobgp, argv);
    }

    /// <summary>Next hops of every path per prefix in `gobgp global rib -a FAMILY -j`.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RibNextHops(string family)
    {
        var result = Cli("global", "rib", "-a", family, "-j").EnsureSuccess();
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Stdout) ? "{}" : result.Stdout);
        var rib = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var destination in document.RootElement.EnumerateObject())
        {
            rib[destination.Name] = destination.Value.EnumerateArray()
                .SelectMany(path => path.GetProperty("attrs").EnumerateArray())
                .Where(attribute => attribute.TryGetProperty("nexthop", out _))
                .Select(attribute => attribute.GetProperty("nexthop").GetString()!)
                .ToList();
        }
        return rib;
    }

    /// <summary>Neighbor address → peer AS from `gobgp neighbor -j`.</summary>
    public IReadOnlyDictionary<string, uint> Neighbors()
    {
        var result = Cli("neighbor", "-j").EnsureSuccess();
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Stdout) ? "[]" : result.Stdout);
        return document.RootElement.EnumerateArray().ToDictionary(
            peer => peer.GetProperty("conf").GetProperty("neighbor_address").GetString()!,
            peer => peer.GetProperty("conf").GetProperty("peer_asn").GetUInt32());
    }

    public string Log() => _daemon.Log();

    public void Dispose() => _daemon.Dispose();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
