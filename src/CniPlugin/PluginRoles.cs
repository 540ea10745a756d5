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

    public static int Run(string argv0)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        return CniRunner.Run(ForName(argv0), Environment.GetEnvironmentVariable, stdin, stdout, Console.Error);
    }

    public static ICniPlugin ForName(string argv0) =>
        Path.GetFileName(argv0) == IpamName ? new IpamRolePlugin(Environment.GetEnvironmentVariable) : new RoutedNetPlugin();
}
