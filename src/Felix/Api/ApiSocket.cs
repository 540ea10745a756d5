using System.Net.Sockets;
using RoutedNet.Felix.Configuration;
using Tmds.Linux;

namespace RoutedNet.Felix.Api;

/// <summary>
/// The API's Unix socket: root-only (0600), so that only root can ask the agent about its node.
/// The mode is set by binding under umask 077 — there is never a moment where the socket exists
/// with wider permissions. A socket file left by a killed agent is removed; one that still
/// answers belongs to another running agent, which is a fatal configuration error. Anything
/// else at the path (a file, a directory, a symlink: a typo in --api-socket) is never removed.
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
        if (TypeOf(path) is not { } type)
        {
            return;
        }
        if (type != (uint)LibC.S_IFSOCK)
        {
            throw new ConfigurationException($"{path} exists and is not a socket ({Describe(type)}): --api-socket must name a new path or an old API socket; nothing was removed");
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

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/> itself, not of a symlink's target; null when nothing is there.</summary>
    private static unsafe uint? TypeOf(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        statx status;
        fixed (byte* name = bytes)
        {
            if (LibC.statx(LibC.AT_FDCWD, name, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_TYPE, &status) != 0)
            {
                return null;
            }
        }
        return (uint)status.stx_mode & (uint)LibC.S_IFMT;
    }

    private static string Describe(uint type) =>
        type == (uint)LibC.S_IFREG ? "a regular file"
        : type == (uint)LibC.S_IFDIR ? "a directory"
        : type == (uint)LibC.S_IFLNK ? "a symbolic link"
        : "a special file";

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
