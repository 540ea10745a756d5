using System.Collections.Concurrent;
using System.Diagnostics;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// A child whose stdout is read line by line while it runs (<c>kubectl get --watch</c>); disposing
/// it kills that child by its pid.
/// </summary>
public sealed class StreamingCommand : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private StreamingCommand(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _errors.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Stderr => string.Join('\n', _errors);

    public static StreamingCommand Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        return new StreamingCommand(Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}"));
    }

    /// <summary>Waits until <paramref name="count"/> lines match (or the child exits); the timeout only bounds a failure.</summary>
    public async Task WaitForLinesAsync(Func<string, bool> match, int count, string what)
    {
        try
        {
            await Eventually.Until(() => _lines.Count(match) >= count || _process.HasExited, what).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported below with what was seen.
        }
        if (_lines.Count(match) < count)
        {
            throw new InvalidOperationException($"{what}: saw [{string.Join(" | ", _lines)}]; stderr: {Stderr}; exited: {_process.HasExited}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
