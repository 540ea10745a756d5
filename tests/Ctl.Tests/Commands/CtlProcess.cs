using System.Diagnostics;
using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>
/// routednetctl run as a user runs it — its own process, arguments, exit code, stdout and stderr —
/// from the build next to the tests (the same code as the NativeAOT out/bin/routednetctl), with a
/// fresh sqlite store.
/// </summary>
internal sealed class CtlProcess : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rnt-ctl-" + Guid.NewGuid().ToString("N")[..8]);

    public CtlProcess() => Directory.CreateDirectory(_dir);

    public string Url => $"sqlite://{_dir}/store.db";

    public Task<IStore> OpenStoreAsync() => StoreFactory.OpenAsync(Url);

    /// <summary>Writes <paramref name="text"/> to a file in the scratch directory and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Changes the store's file behind the store's back, as a hand edit would.</summary>
    public void ExecuteSql(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir}/store.db;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunWithAsync(["--datastore", Url, .. args]);

    /// <summary>Runs with exactly these arguments (no --datastore added).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunWithAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "routednetctl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment.Remove(DatastoreUrl.EnvironmentVariable);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
