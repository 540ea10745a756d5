using System.Text;

namespace RoutedNet.Netlink;

/// <summary>
/// Per-interface sysctls (`sysctl -w net.ipv4.conf.IF.KEY=VALUE`). /proc/sys/net shows the network
/// namespace of the thread that opens the file, so with a namespace path the file is opened
/// inside <see cref="NetworkNamespace.Run{T}"/>; without one, in the caller's namespace.
/// </summary>
public static class InterfaceSysctls
{
    /// <summary>Writes VALUE to /proc/sys/net/TREE/IF/KEY, e.g. (IPv4Conf, "rn0123", "proxy_arp", "1").</summary>
    public static void Set(SysctlTree tree, string interfaceName, string key, string value, string? namespacePath = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(tree, interfaceName, key);
        InNamespace(namespacePath, () =>
        {
            Write(path, value);
            return true;
        });
    }

    /// <summary>Reads /proc/sys/net/TREE/IF/KEY, trimmed.</summary>
    public static string Get(SysctlTree tree, string interfaceName, string key, string? namespacePath = null)
    {
        var path = PathOf(tree, interfaceName, key);
        return InNamespace(namespacePath, () => Read(path));
    }

    /// <summary>The /proc/sys path of a setting; names are checked so that a hostile name cannot escape the tree.</summary>
    public static string PathOf(SysctlTree tree, string interfaceName, string key) =>
        $"/proc/sys/net/{DirectoryOf(tree)}/{RelativePathOf(interfaceName, key)}";

    /// <summary>The tree's directory under /proc/sys/net.</summary>
    internal static string DirectoryOf(SysctlTree tree) => tree switch
    {
        SysctlTree.IPv4Conf => "ipv4/conf",
        SysctlTree.IPv6Conf => "ipv6/conf",
        SysctlTree.IPv4Neigh => "ipv4/neigh",
        SysctlTree.IPv6Neigh => "ipv6/neigh",
        _ => throw new ArgumentOutOfRangeException(nameof(tree)),
    };

    /// <summary>IF/KEY under a tree's directory, both names checked.</summary>
    internal static string RelativePathOf(string interfaceName, string key)
    {
        CheckName(interfaceName, nameof(interfaceName), LinkNames.MaxLength);
        CheckName(key, nameof(key), byte.MaxValue);
        return $"{interfaceName}/{key}";
    }

    private static T InNamespace<T>(string? namespacePath, Func<T> work) =>
        namespacePath is null ? work() : NetworkNamespace.Run(namespacePath, work);

    private static void Write(string path, string value) =>
        Interop.Syscalls.WriteExisting(path, value, $"sysctl write {path}={value}");

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NetlinkException(ErrnoOf(e), $"sysctl read {path}", null, e);
        }
    }

    // .NET reports ENOENT and EACCES as their own exception types and every other errno as an
    // IOException whose HResult is the raw errno (EINVAL for a value the kernel refuses).
    private static Errno ErrnoOf(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException => Errno.EACCES,
        IOException { HResult: > 0 and < 4096 } io => (Errno)io.HResult,
        _ => Errno.EIO,
    };

    private static void CheckName(string name, string parameter, int maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        var traverses = name is "." or ".." || name.Contains('/', StringComparison.Ordinal);
        if (traverses || Encoding.UTF8.GetByteCount(name) > maxBytes)
        {
            throw new ArgumentException($"'{name}' is not a valid sysctl name component", parameter);
        }
    }
}
