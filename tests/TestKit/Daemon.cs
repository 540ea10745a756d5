using System.Diagnostics;

namespace RoutedNet.Tests.TestKit;

/// <summary>
/// A long-running child (etcd, bird, gobgpd, containerd, our own agent) owned by one test or fixture.
/// Output goes to a log file so a failing test can show it (<see cref="Log"/>); Dispose stops it by
/// pid — SIGTERM, then SIGKILL after a grace period — never by name, so parallel runs and the host's
/// own daemons are safe, and removes the log unless RNT_KEEP_LOGS is set.
/// </summary>
public sealed class Daemon : IDisposable
{
    private readonly Process _process;

    public int Pid => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    private Daemon(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    /// <summary>Starts <paramref name="file"/>; with <paramref name="netns"/> it runs inside that namespace.</summary>
    public static Daemon Start(
        string file,
        IEnumerable<string> args,
        NetNs? netns = null,
        IReadOnlyDictionary<string, string?>? env = null,
        string? logPath = null)
    {
        logPath ??= Path.Combine(Path.GetTempPath(), $"rnt-{Path.GetFileName(file)}-{Guid.NewGuid():N}.log");
        var argv = args.ToList();
        if (netns is not null)
        {
            argv.InsertRange(0, ["netns", "exec", netns.Name, file]);
            file = "ip";
        }
        // A shell redirect keeps the child's output flowing even when nobody reads our pipes;
        // `exec` makes the daemon itself the process whose pid we hold.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$RNT_LOG\" 2>&1 </dev/null");
        psi.ArgumentList.Add(file);
        foreach (var arg in argv)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["RNT_LOG"] = logPath;
        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                psi.Environment[key] = value;
            }
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        return new Daemon(process, logPath);
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Sends a signal by pid (e.g. 9 to simulate a crash, 15 for a clean shutdown).</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            Proc.Run("kill", $"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal(15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        _process.Dispose();
        if (Environment.GetEnvironmentVariable("RNT_KEEP_LOGS") is null)
        {
            File.Delete(LogPath);
        }
    }
}
