using System.Security.Cryptography;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// A test-owned directory under the system temp dir for a runtime's root, state, sockets and CNI
/// dirs. Runtimes mount overlays and namespaces below their roots; Dispose unmounts everything
/// under this directory (deepest first) before deleting it, and touches nothing outside it.
/// </summary>
public sealed class Scratch : IDisposable
{
    public string Root { get; }

    private Scratch(string root) => Root = root;

    public static Scratch Create(string prefix)
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        Directory.CreateDirectory(root);
        return new Scratch(root);
    }

    /// <summary>A path below the root; the directory is created when <paramref name="create"/>.</summary>
    public string Path(string relative, bool create = false)
    {
        var path = System.IO.Path.Combine(Root, relative);
        if (create)
        {
            Directory.CreateDirectory(path);
        }
        return path;
    }

    public void Dispose()
    {
        foreach (var mount in MountsBelowRoot().OrderByDescending(m => m.Length))
        {
            Proc.Run("umount", "-l", mount);
        }
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    // /proc/self/mountinfo field 5 is the mount point, with spaces escaped as \040.
    private IEnumerable<string> MountsBelowRoot() =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(mountPoint => mountPoint.StartsWith(Root + "/", StringComparison.Ordinal))
            .Distinct();
}
