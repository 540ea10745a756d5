using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.TestKit.KubeApi;

/// <summary>
/// The stand-in Kubernetes API server (out/test/routednet-test-apiserver, README "Testing") run
/// for one test or fixture: started on a free loopback port with its own directory, ready once
/// it has written DIR/kubeconfig; stopped by pid (SIGTERM) on dispose. Exposes the admin
/// kubeconfig and token, the CRDs of charts/routednet/crds, service-account tokens, and the
/// stand-in's test controls (request counts, compaction, dropped watches, injected faults).
/// </summary>
public sealed class KubeApiServerProcess : IDisposable
{
    private readonly Daemon _daemon;

    public string Dir { get; }
    public string KubeconfigPath { get; }
    public string BaseUrl { get; }
    public string AdminToken { get; }

    /// <summary>The stand-in's throwaway CA (PEM), also inside the kubeconfig: it serves HTTPS, as kubectl sends no token over http.</summary>
    public string CaCertPath => Path.Combine(Dir, "ca.crt");

    public int Pid => _daemon.Pid;

    /// <summary>An HttpClient that authenticates as cluster-admin.</summary>
    public HttpClient Client { get; }

    private KubeApiServerProcess(Daemon daemon, string dir, string baseUrl, string token)
    {
        _daemon = daemon;
        Dir = dir;
        KubeconfigPath = Path.Combine(dir, "kubeconfig");
        BaseUrl = baseUrl;
        AdminToken = token;
        Client = ClientFor(token);
    }

    /// <summary>out/test/routednet-test-apiserver (or $RNT_OUT_TEST/routednet-test-apiserver), built by ./build.sh.</summary>
    public static string BinaryPath
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("RNT_OUT_TEST") ?? Path.Combine(RepoPaths.Root, "out", "test");
            return Path.Combine(dir, "routednet-test-apiserver");
        }
    }

    /// <summary>
    /// Starts a stand-in. <paramref name="historyWindow"/> bounds each resource's watch history
    /// (older RVs get 410); <paramref name="bookmarkInterval"/> is the periodic BOOKMARK period.
    /// </summary>
    public static async Task<KubeApiServerProcess> StartAsync(int historyWindow = 1000, TimeSpan? bookmarkInterval = null)
    {
        var binary = BinaryPath;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: run ./build.sh first");
        }
        var dir = Path.Combine(Path.GetTempPath(), "rnt-kubeapi-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var args = new List<string>
        {
            "--port", "0", "--dir", dir, "--history-window", historyWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bookmark-interval", (bookmarkInterval ?? TimeSpan.FromSeconds(5)).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var daemon = Daemon.Start(binary, args, logPath: Path.Combine(dir, "apiserver.log"));
        var kubeconfig = await WaitForKubeconfigAsync(daemon, dir);
        var lines = await File.ReadAllLinesAsync(kubeconfig);
        var server = lines.Select(l => l.Trim()).First(l => l.StartsWith("server: ", StringComparison.Ordinal))["server: ".Length..];
        var token = lines.Select(l => l.Trim()).First(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..];
        return new KubeApiServerProcess(daemon, dir, server, token);
    }

    /// <summary>
    /// Waits for the server started as <paramref name="daemon"/> to write DIR/kubeconfig, which it
    /// does once it serves; returns its path. A server that exits or takes 30 s is stopped and its
    /// log is the error.
    /// </summary>
    public static async Task<string> WaitForKubeconfigAsync(Daemon daemon, string dir)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(kubeconfig))
        {
            if (daemon.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                var log = daemon.Log();
                daemon.Dispose();
                throw new InvalidOperationException($"routednet-test-apiserver did not write {kubeconfig}: {log}");
            }
            await Task.Delay(20);
        }
        return kubeconfig;
    }

    /// <summary>An HttpClient that sends <paramref name="token"/> (e.g. a service account's).</summary>
    public HttpClient ClientFor(string? token)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaCertPath));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A kubeconfig at <paramref name="path"/> for this server with another bearer token.</summary>
    public string WriteKubeconfig(string path, string token)
    {
        var text = File.ReadAllText(KubeconfigPath).Replace(AdminToken, token, StringComparison.Ordinal);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates every CRD in <paramref name="directory"/> (default charts/routednet/crds) as YAML, the way kubectl create does.</summary>
    public async Task CreateCrdsAsync(string? directory = null)
    {
        directory ??= Path.Combine(RepoPaths.Root, "charts", "routednet", "crds");
        var files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml")).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no CRD YAML in {directory}");
        }
        foreach (var file in files)
        {
            foreach (var doc in SplitYaml(await File.ReadAllTextAsync(file)))
            {
                await PostYamlAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", doc);
            }
        }
    }

    /// <summary>POSTs one YAML or JSON document; a failure throws with the server's Status.</summary>
    public async Task<JsonObject> PostYamlAsync(string path, string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}");
        }
        return JsonNode.Parse(body)!.AsObject();
    }

    public static IEnumerable<string> SplitYaml(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n---")
            .Select(d => d.Trim('\n'))
            .Where(d => d.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')));

    /// <summary>A token for service account NS/NAME (created if missing), as `kubectl create token` gets one.</summary>
    public async Task<string> ServiceAccountTokenAsync(string ns, string name)
    {
        using (var get = await Client.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{name}"))
        {
            if (get.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                await PostYamlAsync($"/api/v1/namespaces/{ns}/serviceaccounts", $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n");
            }
        }
        var response = await PostYamlAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{name}/token",
            "apiVersion: authentication.k8s.io/v1\nkind: TokenRequest\nspec:\n  expirationSeconds: 86400\n");
        return (string)response["status"]!["token"]!;
    }

    /// <summary>Request counts by "verb resource" (e.g. "create ipamhandles.routednet.io", "patch nodes/status") since the last reset.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RequestCountsAsync()
    {
        var body = JsonNode.Parse(await Client.GetStringAsync("/routednet-test/requests"))!;
        return body["byVerbResource"]!.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!);
    }

    public async Task ResetRequestCountsAsync() => await ControlAsync("requests/reset");

    /// <summary>Drops all watch history (etcd compaction): older RVs get 410; open watches get an in-stream 410 ERROR unless <paramref name="expireWatches"/> is false.</summary>
    public async Task CompactAsync(bool expireWatches = true) => await ControlAsync("compact" + (expireWatches ? "" : "?expireWatches=false"));

    /// <summary>Ends open watches (of one qualified resource, e.g. "pods", when given) without an error.</summary>
    public async Task DropWatchesAsync(string? resource = null) => await ControlAsync("drop-watches" + (resource is null ? "" : "?resource=" + Uri.EscapeDataString(resource)));

    /// <summary>Sends a BOOKMARK to every open watch that allows bookmarks, now.</summary>
    public async Task SendBookmarksAsync() => await ControlAsync("bookmarks");

    /// <summary>Adds a fault rule, e.g. {"verb":"update","resource":"ipamblocks.routednet.io","nth":3,"code":409} or {"latencyMs":20}.</summary>
    public async Task AddFaultAsync(string json) => await ControlAsync("faults", json);

    public async Task ClearFaultsAsync()
    {
        using var response = await Client.DeleteAsync("/routednet-test/faults");
        response.EnsureSuccessStatusCode();
    }

    private async Task ControlAsync(string what, string? json = null)
    {
        using var content = new StringContent(json ?? "", Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/routednet-test/" + what, content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /routednet-test/{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The stand-in's own output (warnings, 500s with their stack).</summary>
    public string Log() => _daemon.Log();

    public void Dispose()
    {
        Client.Dispose();
        _daemon.Dispose();
        ScratchDirectory.Remove(Dir);
    }
}
