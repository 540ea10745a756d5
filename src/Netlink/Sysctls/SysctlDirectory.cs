using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink;

/// <summary>
/// One /proc/sys/net/TREE directory (e.g. ipv6/conf) of a network namespace, held open. Which
/// namespace /proc/sys/net shows is decided when a directory is opened, by the opening thread;
/// the files under a directory opened inside a namespace stay that namespace's, whoever opens
/// them later. So a pod's per-interface settings can be written from the caller's own thread,
/// without a thread entering the namespace again for each (see <see cref="NetworkNamespace"/>).
/// </summary>
public sealed class SysctlDirectory : IDisposable
{
    private readonly string _directory;
    private int _fd;

    private SysctlDirectory(int fd, string directory)
    {
        _fd = fd;
        _directory = directory;
    }

    /// <summary>Opens /proc/sys/net/TREE in the calling thread's namespace.</summary>
    public static SysctlDirectory Open(SysctlTree tree)
    {
        var directory = "/proc/sys/net/" + InterfaceSysctls.DirectoryOf(tree);
        return new SysctlDirectory(Syscalls.OpenDirectory(directory, "sysctl open " + directory), directory);
    }

    /// <summary>Writes VALUE to IF/KEY under this directory, e.g. ("eth0", "accept_dad", "0").</summary>
    public void Set(string interfaceName, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var path = InterfaceSysctls.RelativePathOf(interfaceName, key);
        Syscalls.WriteExistingAt(_fd, path, value, $"sysctl write {_directory}/{path}={value}");
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Syscalls.Close(_fd);
            _fd = -1;
        }
    }
}
