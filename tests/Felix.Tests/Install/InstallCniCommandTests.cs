using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>
/// `routednet-node install-cni` on plain directories: both binaries copied whole with 0755, an
/// identical one left alone (not even rewritten), a changed one replaced by rename,
/// --skip-binaries verifying instead of copying, and one line with exit 1 or 2 for every failure.
/// (A read-only bin dir, a real read-only mount, is in tests/Integration.)
/// </summary>
public sealed class InstallCniCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rnt-install-cni-").FullName;
    private readonly string _source;
    private readonly string _bin;

    public InstallCniCommandTests()
    {
        _source = Directory.CreateDirectory(Path.Combine(_root, "image-opt-cni-bin")).FullName;
        _bin = Directory.CreateDirectory(Path.Combine(_root, "host-opt-cni-bin")).FullName;
        File.WriteAllText(Path.Combine(_source, "routednet"), "plugin v1");
        File.WriteAllText(Path.Combine(_source, "routednet-ipam"), "plugin v1");
        File.WriteAllText(Path.Combine(_bin, "portmap"), "someone else's plugin");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args) => Run(_ => null, args);

    private static (int Code, string Out, string Err) Run(Func<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = InstallCniCommand.Run(args, environment, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void InstallCni_EmptyBinDir_BothCopied0755_OthersUntouched_NoTempFiles()
    {
        var (code, output, error) = Run("--cni-source-dir", _source, "--cni-bin-dir", _bin);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("copied routednet and routednet-ipam", output, StringComparison.Ordinal);
        foreach (var name in (string[])["routednet", "routednet-ipam"])
        {
            Assert.Equal("plugin v1", File.ReadAllText(Path.Combine(_bin, name)));
            Assert.Equal(CniBinaries.Mode, File.GetUnixFileMode(Path.Combine(_bin, name)));
        }
        Assert.Equal("someone else's plugin", File.ReadAllText(Path.Combine(_bin, "portmap")));
        Assert.Equal(["portmap", "routednet", "routednet-ipam"], Directory.GetFiles(_bin).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void InstallCni_SameContentAlready_LeftAlone_ChangedSource_ReplacedByRename()
    {
        Assert.Equal(0, Run("--cni-source-dir", _source, "--cni-bin-dir", _bin).Code);
        var target = Path.Combine(_bin, "routednet");
        // A process running the installed plugin holds this file open: a rename leaves it its inode.
        using var running = new FileStream(target, FileMode.Open, FileAccess.Read);
        // A rewrite (temp file, rename) would give it a new modification time.
        var longAgo = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(target, longAgo);

        var again = Run("--cni-source-dir", _source, "--cni-bin-dir", _bin);

        Assert.Equal(0, again.Code);
        Assert.Contains("already holds these binaries; nothing copied", again.Out, StringComparison.Ordinal);
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(target));

        File.WriteAllText(Path.Combine(_source, "routednet"), "plugin v2");
        var upgrade = Run("--cni-source-dir", _source, "--cni-bin-dir", _bin);

        Assert.Equal(0, upgrade.Code);
        Assert.Contains("copied routednet from", upgrade.Out, StringComparison.Ordinal);
        Assert.Equal("plugin v2", File.ReadAllText(target));
        using var reader = new StreamReader(running);
        Assert.Equal("plugin v1", reader.ReadToEnd());
    }

    [Fact]
    public void InstallCni_SkipBinaries_Present_Exit0CopiesNothing_Missing_Exit1NamingTheFile()
    {
        var missing = Run("--cni-source-dir", _source, "--cni-bin-dir", _bin, "--skip-binaries");

        Assert.Equal(1, missing.Code);
        Assert.Equal($"routednet-node install-cni: {_bin}/routednet: no such file, and --skip-binaries copies none: install the RoutedNet CNI binaries there (or drop --skip-binaries)\n", missing.Err);
        Assert.False(File.Exists(Path.Combine(_bin, "routednet")));

        File.WriteAllText(Path.Combine(_bin, "routednet"), "x");
        File.SetUnixFileMode(Path.Combine(_bin, "routednet"), CniBinaries.Mode);
        File.WriteAllText(Path.Combine(_bin, "routednet-ipam"), "x");
        File.SetUnixFileMode(Path.Combine(_bin, "routednet-ipam"), CniBinaries.Mode);
        var present = Run(v => v == "ROUTEDNET_CNI_SKIP_BINARIES" ? "true" : v == "ROUTEDNET_CNI_BIN_DIR" ? _bin : null, "--cni-source-dir", _source);

        Assert.Equal(0, present.Code);
        Assert.Equal("x", File.ReadAllText(Path.Combine(_bin, "routednet")));
    }

    [Fact]
    public void InstallCni_SourceMissing_Exit1OneLine_NothingWritten()
    {
        File.Delete(Path.Combine(_source, "routednet-ipam"));

        var (code, _, error) = Run("--cni-source-dir", _source, "--cni-bin-dir", _bin);

        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains($"{_source}/routednet-ipam: no such file", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_bin, "routednet")));
    }

    [Theory]
    [InlineData("--cni-bin-dir", "relative/dir", "--cni-bin-dir: 'relative/dir' is not an absolute directory path")]
    [InlineData("--no-such-flag", "x", "Unrecognized command or argument '--no-such-flag'")]
    public void InstallCni_BadFlag_Exit2OneLine(string flag, string value, string message)
    {
        var (code, _, error) = Run("--cni-source-dir", _source, flag, value);

        Assert.Equal(2, code);
        Assert.StartsWith("routednet-node install-cni: invalid configuration: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void InstallCni_BinDirMissing_Exit1SayingToMountIt()
    {
        var (code, _, error) = Run("--cni-source-dir", _source, "--cni-bin-dir", Path.Combine(_root, "absent"));

        Assert.Equal(1, code);
        Assert.Contains("no such directory (mount the host's CNI bin dir there", error, StringComparison.Ordinal);
    }
}
