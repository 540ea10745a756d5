using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Image;

/// <summary>
/// The image archive loaded by the real podman into the test's own storage (its own --root,
/// --runroot and tmp dir: the machine's images are never touched), under a tag unique to this
/// run. Containers run with --rm and the ulimits podman can set here without CAP_SYS_RESOURCE;
/// the image is removed by id and the storage deleted at the end.
/// </summary>
public sealed class ImagePodman : IAsyncLifetime
{
    private string _dir = "";
    private string _imageId = "";

    /// <summary>What `podman load` said it loaded (the archive's own reference).</summary>
    public string LoadedName { get; private set; } = "";

    /// <summary>The test-unique tag the containers run from.</summary>
    public string Tag { get; } = $"localhost/rnt-image-{Guid.NewGuid():N}"[..36] + ":test";

    public async Task InitializeAsync()
    {
        Root.Require();
        Tools.Require("/usr/bin/podman", "podman");
        Tools.Require("/usr/sbin/runc", "runc");
        var archive = ImageArchive.Require();
        _dir = Directory.CreateTempSubdirectory("rnt-image-").FullName;
        var load = (await PodmanAsync("load", "--input", archive)).EnsureSuccess();
        // "Loaded image: docker.io/routednet/routednet:0.13.0" (podman 4: "Loaded image(s): ...").
        LoadedName = load.Stdout.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Loaded image", StringComparison.Ordinal)).Split(' ').Last();
        _imageId = (await PodmanAsync("image", "inspect", "--format", "{{.Id}}", LoadedName)).EnsureSuccess().Stdout.Trim();
        (await PodmanAsync("tag", _imageId, Tag)).EnsureSuccess();
    }

    /// <summary>`podman ARGS` on the test's storage.</summary>
    public Task<ProcessResult> PodmanAsync(params string[] args) => PodmanAsync(args, null);

    public Task<ProcessResult> PodmanAsync(IEnumerable<string> args, string? stdin) =>
        Proc.RunAsync(
            "/usr/bin/podman",
            [
                "--root", Path.Combine(_dir, "storage"),
                "--runroot", Path.Combine(_dir, "run"),
                "--tmpdir", Path.Combine(_dir, "tmp"),
                "--storage-driver", "overlay",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file",
                "--runtime", "runc",
                .. args,
            ],
            stdin);

    /// <summary>`podman run --rm` of the image: <paramref name="options"/> before it, <paramref name="args"/> after.</summary>
    public Task<ProcessResult> RunAsync(IEnumerable<string> options, IEnumerable<string> args, string? stdin = null) =>
        PodmanAsync(
            [
                "run", "--rm", "-i",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                .. options,
                Tag,
                .. args,
            ],
            stdin);

    public async Task DisposeAsync()
    {
        if (_dir.Length == 0)
        {
            return;
        }
        if (_imageId.Length > 0)
        {
            await PodmanAsync("rmi", "--force", _imageId);
        }
        ScratchDirectory.Remove(_dir);
    }
}
