using System.Runtime.InteropServices;
using Tmds.Linux;

namespace RoutedNet.Netlink.Interop;

/// <summary>The few libc calls outside sockets (through Tmds.LibC), each turning -1 into a <see cref="NetlinkException"/>.</summary>
internal static unsafe class Syscalls
{
    public const string ThreadNetworkNamespace = "/proc/thread-self/ns/net";

    /// <summary>open(path, O_RDONLY|O_CLOEXEC) for a namespace file.</summary>
    public static int OpenReadOnly(string path, string operation) => Open(LibC.AT_FDCWD, path, LibC.O_RDONLY, operation);

    /// <summary>open(path, O_RDONLY|O_DIRECTORY|O_CLOEXEC): a directory to open files under with <see cref="WriteExistingAt"/>.</summary>
    public static int OpenDirectory(string path, string operation) => Open(LibC.AT_FDCWD, path, LibC.O_RDONLY | LibC.O_DIRECTORY, operation);

    /// <summary>
    /// Writes VALUE to an existing /proc/sys file with one open, one write and one close (File.WriteAllText
    /// also locks, truncates and seeks: 8 syscalls per sysctl, on the CNI plugin's hot path).
    /// </summary>
    public static void WriteExisting(string path, string value, string operation) =>
        WriteExistingAt(LibC.AT_FDCWD, path, value, operation);

    /// <summary><see cref="WriteExisting"/> with <paramref name="path"/> relative to the open directory <paramref name="directory"/>.</summary>
    public static void WriteExistingAt(int directory, string path, string value, string operation)
    {
        var fd = Open(directory, path, LibC.O_WRONLY, operation);
        try
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(value);
            fixed (byte* p = bytes)
            {
                ssize_t written;
                do
                {
                    written = LibC.write(fd, p, bytes.Length);
                }
                while (written < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
                if (written < 0)
                {
                    throw new NetlinkException((Errno)Marshal.GetLastPInvokeError(), operation);
                }
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static int Open(int directory, string path, int flags, string operation)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            while (true)
            {
                var fd = LibC.openat(directory, p, flags | LibC.O_CLOEXEC);
                if (fd >= 0)
                {
                    return fd;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR)
                {
                    throw new NetlinkException((Errno)errno, operation);
                }
            }
        }
    }

    public static void Close(int fd) => LibC.close(fd);

    /// <summary>setns(fd, CLONE_NEWNET) for the calling OS thread.</summary>
    public static void EnterNetworkNamespace(int fd, string operation)
    {
        if (LibC.setns(fd, LibC.CLONE_NEWNET) != 0)
        {
            throw new NetlinkException((Errno)Marshal.GetLastPInvokeError(), operation);
        }
    }

    /// <summary>The inode that identifies a namespace file (two paths to one namespace share it).</summary>
    public static ulong Inode(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        stat st;
        fixed (byte* p = bytes)
        {
            if (LibC.stat(p, &st) != 0)
            {
                throw new NetlinkException((Errno)Marshal.GetLastPInvokeError(), "stat " + path);
            }
        }
        return (ulong)st.st_ino;
    }
}
