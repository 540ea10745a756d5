using System.Net.Sockets;
using RoutedNet.Felix.Configuration;
using Tmds.Linux;

namespace RoutedNet.Felix.Api;

/// <summary>
/// The API's Unix socket: root-only (0600), so that only root can ask the agent about its node.
/// The mode is set by binding under umask 077 — there is never a moment where the socket exists
/// with wider permissions. A socket file left by a killed agent is removed; one that still
/// answers belongs to another running agent, which is a fatal configuration error.
/// </summary>
public static class ApiSocket
{
    public static void Prepare(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (!File.Exists(path))
        {
            return;
        }
        if (IsServed(path))
        {
            throw new ConfigurationException($"{path}: another agent is serving this API socket; give this one its own --api-socket");
        }
        File.Delete(path);
    }

    /// <summary>Runs <paramref name="bind"/> (the server's start) with a umask that makes new files owner-only.</summary>
    public static async Task BindPrivatelyAsync(Func<Task> bind)
    {
        var previous = LibC.umask(0x3F);
        try
        {
            await bind().ConfigureAwait(false);
        }
        finally
        {
            LibC.umask(previous);
        }
    }

    private static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
