using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// A private PostgreSQL (Debian's) on a Unix socket in its own directory, no TCP, for helm's
/// <c>sql</c> release driver. It runs as the postgres user (it refuses root); stopped by pid.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const int Port = 5432; // names the socket file only: listen_addresses is empty
    private readonly Daemon _daemon;

    private PostgresServer(string dir, Daemon daemon)
    {
        Dir = dir;
        _daemon = daemon;
    }

    public string Dir { get; }

    /// <summary>What <c>HELM_DRIVER_SQL_CONNECTION_STRING</c> takes.</summary>
    public string ConnectionString => $"host={Dir} port={Port} user=postgres dbname=postgres sslmode=disable";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "postgres")))
            : null;
        var postgres = Tools.Require(Path.Combine(bin ?? "/usr/lib/postgresql/15/bin", "postgres"), "postgresql");
        var dir = Path.Combine(Path.GetTempPath(), $"rnt-crds-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Proc.Check("chown", "postgres:postgres", dir);
        Proc.Check("chmod", "700", dir);
        AsPostgres(Path.Combine(Path.GetDirectoryName(postgres)!, "initdb"), "-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8").EnsureSuccess();
        var daemon = Daemon.Start("setpriv", [.. AsPostgresArgs, postgres, "-D", Path.Combine(dir, "data"), "-k", dir, "-c", "listen_addresses=", "-p", $"{Port}"]);
        var server = new PostgresServer(dir, daemon);
        try
        {
            await Eventually.Until(() => Proc.Run("pg_isready", "-h", dir, "-p", $"{Port}").Succeeded, "PostgreSQL to accept connections").ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public void Dispose()
    {
        _daemon.Signal(2); // fast shutdown: SIGTERM would wait for every client to disconnect
        _daemon.WaitForExit(TimeSpan.FromSeconds(10));
        _daemon.Dispose();
        ScratchDirectory.Remove(Dir);
    }

    private static readonly string[] AsPostgresArgs = ["--reuid=postgres", "--regid=postgres", "--init-groups"];

    private static ProcessResult AsPostgres(string file, params string[] args) => Proc.Run("setpriv", [.. AsPostgresArgs, file, .. args]);
}
