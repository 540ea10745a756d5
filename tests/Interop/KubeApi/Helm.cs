using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The real helm pointed at the stand-in (KUBECONFIG), its caches and config in the test's
/// directory. Releases are kept by the sql driver in a private PostgreSQL: helm's default secret
/// driver POSTs its Secrets as protobuf, which the stand-in refuses (415), as the README says.
/// </summary>
public sealed class Helm : IDisposable
{
    private readonly Dictionary<string, string?> _env;
    private readonly PostgresServer _postgres;

    private Helm(StandIn cluster, PostgresServer postgres)
    {
        _postgres = postgres;
        var home = Path.Combine(cluster.Dir, "helm");
        _env = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = cluster.KubeconfigPath,
            ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
            ["HELM_DRIVER"] = "sql",
            ["HELM_DRIVER_SQL_CONNECTION_STRING"] = postgres.ConnectionString,
        };
    }

    public static async Task<Helm> StartAsync(StandIn cluster) => new(cluster, await PostgresServer.StartAsync().ConfigureAwait(false));

    public Task<ProcessResult> RunAsync(params string[] args) => Proc.RunAsync(KubeTools.Helm, args, env: _env, timeout: TimeSpan.FromMinutes(2));

    /// <summary>Runs and returns stdout; throws with the command and its output when helm fails.</summary>
    public async Task<string> CheckAsync(params string[] args) => (await RunAsync(args).ConfigureAwait(false)).EnsureSuccess().Stdout;

    public void Dispose() => _postgres.Dispose();
}
