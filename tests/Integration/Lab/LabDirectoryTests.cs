using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Integration.Lab;

/// <summary>
/// `--lab-dir` pointing at a directory the lab did not make (a typo, a home directory, one with a
/// planted lab.json naming pids) is never removed, emptied or acted on: `down` says so in one line
/// and exits non-zero, and `up` refuses to move in.
/// </summary>
public sealed class LabDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-notalab-").FullName;
    private readonly string _ctl = RepoPaths.Binary("routednetctl");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LabDown_DirectoryNotMadeByLab_LeftAsItWasOneErrorLine()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine\n");
        // A state file with no nodes: on main, down took it for a lab and removed the whole directory.
        File.WriteAllText(Path.Combine(_dir, "lab.json"), """{"prefix":"rnlab-x","datastore":"sqlite:///nonexistent","nodes":[],"pods":[],"namespaces":[],"torPids":[]}""");

        var down = Lab("down");

        Assert.NotEqual(0, down.ExitCode);
        var line = Assert.Single(down.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not a lab directory", line, StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(_dir, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(_dir, "lab.json")));
    }

    [Fact]
    public void LabUp_NonEmptyDirectoryNotMadeByLab_RefusedAndLeftAsItWas()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine\n");

        var up = Lab("up", "--nodes", "1", "--pods-per-node", "0", "--prefix", "rnlab-secrets");

        Assert.NotEqual(0, up.ExitCode);
        Assert.Contains("not a lab directory", up.Stderr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void LabDown_EmptyDirectory_NothingToDoAndKept()
    {
        Lab("down").EnsureSuccess();

        Assert.True(Directory.Exists(_dir));
    }

    private ProcessResult Lab(params string[] args) =>
        Proc.RunAsync(_ctl, ["lab", .. args, "--lab-dir", _dir], timeout: TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
}
