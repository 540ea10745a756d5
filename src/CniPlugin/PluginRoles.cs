using System.Reflection;
using Microsoft.Win32.SafeHandles;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.CniPlugin.Wiring;

namespace RoutedNet.CniPlugin;

/// <summary>
/// Picks the role from argv[0] (DESIGN.md: `routednet` and `routednet-ipam` are the same file
/// under two names) and runs it under the shared CNI protocol handling.
/// </summary>
internal static class PluginRoles
{
    public const string IpamName = "routednet-ipam";

    /// <summary>The build's version (0.x.y+COMMIT), what `--version` prints.</summary>
    public static string Version =>
        typeof(PluginRoles).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static int Run(string argv0, IReadOnlyList<string> args)
    {
        // A runtime passes everything in CNI_* and stdin, never arguments: `--version` is a person asking.
        if (args is ["--version"])
        {
            using var output = StandardStream(1, FileAccess.Write);
            output.Write(System.Text.Encoding.UTF8.GetBytes(Version + "\n"));
            return 0;
        }
        // Plain file streams over fds 0-2, not System.Console: Console's set-up (terminal and
        // signal handling, its own thread) is start-up work every one of the runtime's execs
        // would pay for streams that are always pipes here.
        using var stdin = StandardStream(0, FileAccess.Read);
        using var stdout = StandardStream(1, FileAccess.Write);
        using var stderr = StandardStream(2, FileAccess.Write);
        return CniRunner.Run(ForName(argv0), Environment.GetEnvironmentVariable, stdin, stdout, stderr);
    }

    public static ICniPlugin ForName(string argv0) =>
        Path.GetFileName(argv0) == IpamName ? new IpamRolePlugin(Environment.GetEnvironmentVariable) : new RoutedNetPlugin();

    // Unbuffered: stdin is read whole, stdout and stderr get one write each.
    private static Stream StandardStream(int fd, FileAccess access)
    {
        try
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A closed descriptor: behave as Console does (reads see EOF, writes vanish).
            return Stream.Null;
        }
    }
}
