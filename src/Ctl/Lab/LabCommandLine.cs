using System.Diagnostics;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// Runs one external command to completion (iproute2 for what our netlink library does not do:
/// named namespaces and bridges; vtysh/birdc for the router) and returns its stdout, or throws.
/// </summary>
internal static class LabCommandLine
{
    public static string Run(string file, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Start(info);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var said = stderr.Result.Trim().Length > 0 ? stderr.Result.Trim() : stdout.Trim();
            throw new CtlException(CtlExitCode.Problem, $"`{file} {string.Join(' ', info.ArgumentList)}` exited {process.ExitCode}: {said}");
        }
        return stdout;
    }

    public static string Ip(params string[] args) => Run("ip", args);

    private static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new CtlException(CtlExitCode.Problem, $"cannot start {info.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CtlException(CtlExitCode.Problem, $"cannot start {info.FileName}: {e.Message}", e);
        }
    }
}
