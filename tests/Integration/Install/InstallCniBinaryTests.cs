using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Install;

/// <summary>
/// The published `routednet-node install-cni` with the real CNI binaries of out/bin as the image's
/// /opt/cni/bin: the installed plugin runs; a bin dir on a read-only filesystem (a tmpfs mounted
/// read-only, as on hosts whose /opt/cni/bin is) fails with one line pointing at --skip-binaries,
/// and --skip-binaries there succeeds when the binaries are present and fails naming the missing one.
/// </summary>
public sealed class InstallCniBinaryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rnt-installcni-").FullName;
    private readonly List<string> _mounts = [];

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            Proc.Run("umount", mount);
        }
        Directory.Delete(_root, recursive: true);
    }

    private static Task<ProcessResult> InstallCniAsync(params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednet-node"), ["install-cni", "--cni-source-dir", RepoPaths.OutBin, .. args], null, null);

    /// <summary>A directory on its own tmpfs holding <paramref name="files"/>, then remounted read-only.</summary>
    private string ReadOnlyDir(params string[] files)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, $"ro{_mounts.Count}")).FullName;
        Proc.Check("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", dir);
        _mounts.Add(dir);
        foreach (var file in files)
        {
            File.Copy(Path.Combine(RepoPaths.OutBin, file), Path.Combine(dir, file));
        }
        Proc.Check("mount", "-o", "remount,ro", dir);
        return dir;
    }

    [Fact]
    public async Task InstallCni_RealBinaries_SameBytesAndThePluginRunsFromTheBinDir()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;

        var result = await InstallCniAsync("--cni-bin-dir", bin);

        Assert.True(result.ExitCode == 0, result.Stderr);
        foreach (var name in (string[])["routednet", "routednet-ipam"])
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.OutBin, name)), File.ReadAllBytes(Path.Combine(bin, name)));
        }
        var version = await Proc.RunAsync(Path.Combine(bin, "routednet"), [], "", new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION" });
        Assert.True(version.ExitCode == 0, version.Stderr);
        Assert.Contains("\"supportedVersions\"", version.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(bin, ".*"));
    }

    [Fact]
    public async Task InstallCni_ReadOnlyBinDir_Exit1OneLineNamingTheFileAndSkipBinaries()
    {
        var bin = ReadOnlyDir();

        var result = await InstallCniAsync("--cni-bin-dir", bin);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"routednet-node install-cni: cannot write {bin}/routednet: ", line, StringComparison.Ordinal);
        Assert.Contains("--skip-binaries", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(bin));
    }

    [Fact]
    public async Task InstallCni_ReadOnlyBinDirSkipBinaries_Present_Exit0_Missing_Exit1NamingIt()
    {
        var complete = ReadOnlyDir("routednet", "routednet-ipam");
        var partial = ReadOnlyDir("routednet");

        var ok = await InstallCniAsync("--cni-bin-dir", complete, "--skip-binaries");
        var missing = await InstallCniAsync("--cni-bin-dir", partial, "--skip-binaries");

        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("nothing copied", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"routednet-node install-cni: {partial}/routednet-ipam: no such file, and --skip-binaries copies none: install the RoutedNet CNI binaries there (or drop --skip-binaries)\n", missing.Stderr);
    }
}
