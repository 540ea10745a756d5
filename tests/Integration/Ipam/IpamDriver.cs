using System.Diagnostics;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// One run of tests/IpamDriver (`churn`): allocates and releases addresses with IpamClient until
/// killed, printing what it finished. Its output says which attachments are live: an address is
/// live once "add" was printed, and dead from "deleting" on (as after a runtime's DEL).
/// </summary>
internal sealed class IpamDriver : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly TaskCompletionSource _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _lines = new();

    private IpamDriver(Process process)
    {
        _process = process;
        _stdout = ReadLinesAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "routednet-test-ipam-driver");

    public static IpamDriver Start(IEnumerable<string> datastoreArgs, string node, string prefix, bool cache, int? count = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["churn", .. datastoreArgs, "--node", node, "--prefix", prefix])
        {
            psi.ArgumentList.Add(arg);
        }
        if (cache)
        {
            psi.ArgumentList.Add("--cache");
        }
        if (count is { } n)
        {
            psi.ArgumentList.Add("--count");
            psi.ArgumentList.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new IpamDriver(Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Path}"));
    }

    /// <summary>Completes once the driver finished its first allocation (it is then in the middle of its work).</summary>
    public Task FirstLine => _firstLine.Task;

    /// <summary>SIGKILL, unless it already ended.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own first.
        }
    }

    /// <summary>Waits for the end; returns the exit code and every line it printed.</summary>
    public async Task<(int Exit, string[] Lines, string Stderr)> EndAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync(timeout.Token);
        var stdout = await _stdout;
        return (_process.ExitCode, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), await _stderr);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task<string> ReadLinesAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            _lines.Append(line).Append('\n');
            _firstLine.TrySetResult();
        }
        _firstLine.TrySetResult();
        return _lines.ToString();
    }
}
