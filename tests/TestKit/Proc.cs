using System.Diagnostics;
using System.Text;

namespace RoutedNet.Tests.TestKit;

/// <summary>
/// Runs a command to completion and captures its output. Tests use this to drive and inspect
/// real tools (`ip`, `birdc`, the published binaries); the product itself never shells out.
/// </summary>
public static class Proc
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static ProcessResult Run(string file, params string[] args) =>
        RunAsync(file, args).GetAwaiter().GetResult();

    /// <summary>Runs and throws (with output) unless the exit code is 0.</summary>
    public static ProcessResult Check(string file, params string[] args) => Run(file, args).EnsureSuccess();

    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                psi.Environment[key] = value;
            }
        }
        var command = Describe(file, psi.ArgumentList);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start `{command}`");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }
        process.StandardInput.Close();

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {timeout ?? DefaultTimeout}");
        }
        return new ProcessResult(command, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    internal static string Describe(string file, IEnumerable<string> args)
    {
        var sb = new StringBuilder(file);
        foreach (var arg in args)
        {
            sb.Append(' ').Append(arg.Contains(' ', StringComparison.Ordinal) ? $"'{arg}'" : arg);
        }
        return sb.ToString();
    }
}
