namespace RoutedNet.Felix.Install;

/// <summary>
/// The two CNI binaries on the host: `routednet` and `routednet-ipam` (one program; the name
/// picks the role). install-cni copies them from the image into the host's CNI bin dir, and an
/// uninstall removes them again. Nothing else in that directory is ever touched: it holds other
/// projects' plugins too.
/// </summary>
public static class CniBinaries
{
    public static IReadOnlyList<string> Names { get; } = ["routednet", "routednet-ipam"];

    /// <summary>rwxr-xr-x, as the reference plugins are installed.</summary>
    public const UnixFileMode Mode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Copies each binary from <paramref name="sourceDir"/> into <paramref name="binDir"/> unless the
    /// same bytes are there already (then at most its mode is set); returns the names copied.
    /// </summary>
    /// <exception cref="InstallException">A source binary is missing, or a destination cannot be written.</exception>
    public static IReadOnlyList<string> Install(string sourceDir, string binDir)
    {
        foreach (var name in Names)
        {
            var source = Path.Combine(sourceDir, name);
            if (!File.Exists(source))
            {
                throw new InstallException($"{source}: no such file (the image holds the CNI binaries in {sourceDir}; --cni-source-dir names another place)");
            }
        }
        if (!Directory.Exists(binDir))
        {
            throw new InstallException($"{binDir}: no such directory (mount the host's CNI bin dir there, or name it with --cni-bin-dir)");
        }
        var copied = new List<string>();
        foreach (var name in Names)
        {
            var source = Path.Combine(sourceDir, name);
            var target = Path.Combine(binDir, name);
            try
            {
                if (AtomicFile.SameContent(source, target))
                {
                    if (File.GetUnixFileMode(target) != Mode)
                    {
                        File.SetUnixFileMode(target, Mode);
                    }
                    continue;
                }
                AtomicFile.Copy(source, target, Mode);
                copied.Add(name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InstallException(
                    $"cannot write {target}: {e.Message} (on a host whose CNI bin dir is read-only, put the binaries there another way and pass --skip-binaries)", e);
            }
        }
        return copied;
    }

    /// <summary>For --skip-binaries: both binaries must already be in <paramref name="binDir"/>, executable.</summary>
    /// <exception cref="InstallException">One is missing or not executable.</exception>
    public static void Verify(string binDir)
    {
        foreach (var name in Names)
        {
            var path = Path.Combine(binDir, name);
            if (!File.Exists(path))
            {
                throw new InstallException($"{path}: no such file, and --skip-binaries copies none: install the RoutedNet CNI binaries there (or drop --skip-binaries)");
            }
            if ((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            {
                throw new InstallException($"{path}: not executable, and --skip-binaries leaves it as it is");
            }
        }
    }

    /// <summary>Removes both binaries from <paramref name="binDir"/>; returns the paths removed (a missing one is no error).</summary>
    public static IReadOnlyList<string> Remove(string binDir)
    {
        var removed = new List<string>();
        foreach (var name in Names)
        {
            var path = Path.Combine(binDir, name);
            if (File.Exists(path))
            {
                // unlink: a plugin exec'd right now keeps running from its inode.
                File.Delete(path);
                removed.Add(path);
            }
        }
        return removed;
    }
}
