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
    public static string PathOf(SysctlTree tree, string interfaceName, string key)
    {
        CheckName(interfaceName, nameof(interfaceName));
        CheckName(key, nameof(key));
        var directory = tree switch
        {
            SysctlTree.IPv4Conf => "ipv4/conf",
            SysctlTree.IPv6Conf => "ipv6/conf",
            SysctlTree.IPv4Neigh => "ipv4/neigh",
            SysctlTree.IPv6Neigh => "ipv6/neigh",
            _ => throw new ArgumentOutOfRangeException(nameof(tree)),
        };
        return $"/proc/sys/net/{directory}/{interfaceName}/{key}";
    }

    private static T InNamespace<T>(string? namespacePath, Func<T> work) =>
        namespacePath is null ? work() : NetworkNamespace.Run(namespacePath, work);

    private static void Write(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NetlinkException(ErrnoOf(e, path), $"sysctl write {path}={value}", null, e);
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NetlinkException(ErrnoOf(e, path), $"sysctl read {path}", null, e);
        }
    }

    private static Errno ErrnoOf(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException => Errno.EACCES,
        _ when !File.Exists(path) => Errno.ENOENT,
        _ => Errno.EINVAL,
    };

    private static void CheckName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(name) > 15 && parameter == "interfaceName")
        {
            throw new ArgumentException($"'{name}' is not a valid sysctl name component", parameter);
        }
    }
}
