using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// Daemons of the lab (agents, the router): started detached inside a namespace, with output
/// appended to a log file, known only by pid; stopped by that pid after checking it is still the
/// process we started (its command line names <c>marker</c>), never by name.
/// </summary>
internal static partial class LabProcess
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int SigHup = 1;

    /// <summary>
    /// `sh` redirects the output and execs `setsid` (a new session: closing the terminal does not
    /// hang the daemon up), which execs `ip netns exec`, which execs the daemon: one pid all along.
    /// </summary>
    public static int StartDetached(string netns, string log, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in (string[])["-c", "log=$1; shift; exec setsid ip netns exec \"$@\" >>\"$log\" 2>&1 </dev/null", "sh", log, netns, file, .. args])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new CtlException(CtlExitCode.Problem, $"cannot start {file}");
        return process.Id;
    }

    /// <summary>Alive and still running a command line that contains <paramref name="marker"/> (a zombie is dead).</summary>
    public static bool IsRunning(int pid, string marker)
    {
        if (pid <= 0)
        {
            return false;
        }
        try
        {
            // A daemon reaches its own program through three execs (sh, setsid, ip netns exec). In
            // the middle of each, the new image has no arguments yet and /proc/PID/cmdline reads
            // empty: that is "starting", not "gone", so read again until the arguments are there.
            // A kernel thread on a recycled pid stays empty and ends as "not ours".
            for (var attempt = 0; ; attempt++)
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)..][0] == 'Z')
                {
                    return false;
                }
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                if (commandLine.Length > 0 || attempt == MidExecRetries)
                {
                    return commandLine.Replace('\0', ' ').Contains(marker, StringComparison.Ordinal);
                }
                Thread.Sleep(10);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private const int MidExecRetries = 100;

    /// <summary>SIGTERM, up to <paramref name="grace"/> to exit, then SIGKILL. True when it was running.</summary>
    public static bool Stop(int pid, string marker, TimeSpan grace)
    {
        if (!IsRunning(pid, marker))
        {
            return false;
        }
        _ = Kill(pid, SigTerm);
        var deadline = Stopwatch.StartNew();
        while (IsRunning(pid, marker) && deadline.Elapsed < grace)
        {
            Thread.Sleep(50);
        }
        if (IsRunning(pid, marker))
        {
            _ = Kill(pid, SigKill);
            while (IsRunning(pid, marker) && deadline.Elapsed < grace + TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(50);
            }
        }
        return true;
    }

    /// <summary>SIGKILL, then up to <paramref name="grace"/> for the process to be gone. True when it was running.</summary>
    public static bool Kill(int pid, string marker, TimeSpan grace)
    {
        if (!IsRunning(pid, marker))
        {
            return false;
        }
        _ = Kill(pid, SigKill);
        var deadline = Stopwatch.StartNew();
        while (IsRunning(pid, marker) && deadline.Elapsed < grace)
        {
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>SIGHUP: daemons that reload their configuration file on it.</summary>
    public static void Reload(int pid, string marker)
    {
        if (IsRunning(pid, marker))
        {
            _ = Kill(pid, SigHup);
        }
    }

    /// <summary>The pid recorded in a daemon's pid file, or 0.</summary>
    public static int ReadPidFile(string path) =>
        File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
