using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using RoutedNet.Netlink;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// One container probe as kubelet runs it: HTTP GET (200-399 passes) or a TCP connect, from the
/// node's network namespace (a host-network pod's 127.0.0.1 is the node's), every periodSeconds
/// after initialDelaySeconds, each attempt bounded by timeoutSeconds; the result flips after
/// failureThreshold failures or successThreshold successes in a row (defaults 10/1/3/1, as in
/// the API's defaults). A new connection per attempt, as kubelet disables keep-alive.
/// </summary>
public sealed class Probe
{
    private readonly JsonObject _spec;
    private readonly ClusterNode _node;
    private readonly string _defaultHost;
    private DateTime _due;
    private int _failures;
    private int _successes;

    private Probe(JsonObject spec, ClusterNode node, string defaultHost, DateTime started)
    {
        _spec = spec;
        _node = node;
        _defaultHost = defaultHost;
        _due = started.AddSeconds(Int("initialDelaySeconds", 0));
    }

    /// <summary>False until the threshold of successes is reached (readiness and startup start failed).</summary>
    public bool Passing { get; private set; }

    /// <summary>True once failureThreshold failures came in a row (liveness and startup: kill the container).</summary>
    public bool Failed => _failures >= Int("failureThreshold", 3);

    public string LastError { get; private set; } = "";

    public static Probe? From(JsonNode? spec, ClusterNode node, string defaultHost, DateTime started) =>
        spec is JsonObject o ? new Probe(o, node, defaultHost, started) : null;

    /// <summary>Runs the probe if it is due; returns whether it ran.</summary>
    public async Task<bool> TickAsync(JsonObject container, DateTime now)
    {
        if (now < _due)
        {
            return false;
        }
        _due = now.AddSeconds(Int("periodSeconds", 10));
        bool ok;
        try
        {
            ok = await AttemptAsync(container).ConfigureAwait(false);
            LastError = ok ? "" : LastError;
        }
#pragma warning disable CA1031 // any failure to connect or read is a failed probe, as for kubelet
        catch (Exception e)
#pragma warning restore CA1031
        {
            LastError = e.Message;
            ok = false;
        }
        if (ok)
        {
            _failures = 0;
            if (++_successes >= Int("successThreshold", 1))
            {
                Passing = true;
            }
        }
        else
        {
            _successes = 0;
            if (++_failures >= Int("failureThreshold", 3))
            {
                Passing = false;
            }
        }
        return true;
    }

    private async Task<bool> AttemptAsync(JsonObject container)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Int("timeoutSeconds", 1)));
        if (_spec["httpGet"] is JsonObject http)
        {
            var host = (string?)http["host"] is { Length: > 0 } h ? h : _defaultHost;
            var port = Port(http["port"], container);
            var scheme = ((string?)http["scheme"] ?? "HTTP").ToLowerInvariant();
            using var handler = NamespacedHttp.Handler(_node.NetnsPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // kubelet does not verify probe certificates
            using var client = new HttpClient(handler);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{port}{(string?)http["path"] ?? "/"}")));
            request.Headers.ConnectionClose = true;
            request.Headers.UserAgent.ParseAdd("kube-probe/1.34");
            using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            LastError = $"HTTP probe failed with statuscode: {(int)response.StatusCode}";
            return (int)response.StatusCode is >= 200 and < 400;
        }
        if (_spec["tcpSocket"] is JsonObject tcp)
        {
            var host = (string?)tcp["host"] is { Length: > 0 } h ? h : _defaultHost;
            using var socket = NetworkNamespace.Run(_node.NetnsPath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            await socket.ConnectAsync(host, Port(tcp["port"], container), timeout.Token).ConfigureAwait(false);
            return true;
        }
        throw new InvalidOperationException("only httpGet and tcpSocket probes are played");
    }

    // A named port is looked up in the container's ports, as kubelet does.
    private static int Port(JsonNode? port, JsonObject container)
    {
        if (port is JsonValue value && value.TryGetValue<int>(out var number))
        {
            return number;
        }
        var name = (string?)port;
        return (int?)container["ports"]?.AsArray().FirstOrDefault(p => (string?)p!["name"] == name)?["containerPort"]
            ?? throw new InvalidOperationException($"probe port {name} is not a port of container {container["name"]}");
    }

    private int Int(string key, int fallback) => (int?)_spec[key] ?? fallback;
}
