using System.Globalization;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// The stand-in API server (out/test/routednet-test-apiserver) run inside the tor namespace on the
/// bridge address, so the nodes reach it over their eth0 as nodes reach a control plane, and the
/// real helm and kubectl, run in that namespace with its cluster-admin kubeconfig. Nothing listens
/// outside our namespaces. Stopped by pid on dispose.
/// </summary>
public sealed class ControlPlane : IDisposable
{
    public const int Port = 6443;

    private readonly Daemon _daemon;
    private readonly ClusterNetwork _network;

    public string Dir { get; }

    public string KubeconfigPath => Path.Combine(Dir, "kubeconfig");

    public string CaPem { get; }

    public string BaseUrl { get; } = string.Create(CultureInfo.InvariantCulture, $"https://{ClusterNetwork.Gateway}:{Port}");

    /// <summary>cluster-admin, for the harness's controllers and kubelets.</summary>
    public KubeClient Api { get; }

    private ControlPlane(Daemon daemon, ClusterNetwork network, string dir, string caPem, string token)
    {
        _daemon = daemon;
        _network = network;
        Dir = dir;
        CaPem = caPem;
        Api = new KubeClient(BaseUrl, caPem, token, network.TorPath);
    }

    public static async Task<ControlPlane> StartAsync(ClusterNetwork network, string dir)
    {
        var binary = KubeApiServerProcess.BinaryPath;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: run ./build.sh first");
        }
        Directory.CreateDirectory(dir);
        // `ip netns exec` execs the server, so the pid Daemon holds is the server's.
        var daemon = Daemon.Start(
            "ip",
            ["netns", "exec", network.TorNamespace, binary, "--port", Port.ToString(CultureInfo.InvariantCulture), "--address", ClusterNetwork.Gateway, "--dir", dir],
            logPath: Path.Combine(dir, "apiserver.log"));
        var kubeconfig = await KubeApiServerProcess.WaitForKubeconfigAsync(daemon, dir).ConfigureAwait(false);
        var token = (await File.ReadAllLinesAsync(kubeconfig).ConfigureAwait(false))
            .Select(l => l.Trim()).First(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..];
        var ca = await File.ReadAllTextAsync(Path.Combine(dir, "ca.crt")).ConfigureAwait(false);
        return new ControlPlane(daemon, network, dir, ca, token);
    }

    private Dictionary<string, string?> ToolEnv() => new()
    {
        ["KUBECONFIG"] = KubeconfigPath,
        ["HELM_CACHE_HOME"] = Path.Combine(Dir, "helm", "cache"),
        ["HELM_CONFIG_HOME"] = Path.Combine(Dir, "helm", "config"),
        ["HELM_DATA_HOME"] = Path.Combine(Dir, "helm", "data"),
    };

    /// <summary>The real helm (the version scripts/install-deps.sh pins), in the tor namespace.</summary>
    public Task<ProcessResult> HelmAsync(params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", _network.TorNamespace, OnPath("helm"), .. args], env: ToolEnv(), timeout: TimeSpan.FromMinutes(3));

    /// <summary>The real kubectl, in the tor namespace.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", _network.TorNamespace, OnPath("kubectl"), .. args], env: ToolEnv());

    // The versions scripts/install-deps.sh pins (tests/Interop/KubeApi/KubeTools checks them); none is a failure naming it.
    private static string OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not on the PATH: install it with scripts/install-deps.sh (./test.sh does this)");

    public string Log() => _daemon.Log();

    public void Dispose()
    {
        Api.Dispose();
        _daemon.Dispose();
    }
}
