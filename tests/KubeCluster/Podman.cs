using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// Rootful podman with the cluster's own storage, run dir and containers.conf (under the cluster's
/// directory), so its images and containers never mix with the host's or another test's, and
/// removing the directory removes them. Settings per ../shared/lab-notes/cni-runtimes.md and
/// kubernetes.md §6: runc, cgroupfs, file events, and ulimits pinned to 1024 (podman's default
/// 1048576 fails "setrlimit" without CAP_SYS_RESOURCE).
/// </summary>
public sealed class Podman
{
    private readonly string _dir;
    private readonly string _conf;

    public Podman(string dir)
    {
        Tools.Require("/usr/bin/podman", "podman");
        Tools.Require("/usr/sbin/runc", "runc");
        _dir = dir;
        Directory.CreateDirectory(dir);
        _conf = Path.Combine(dir, "containers.conf");
        File.WriteAllText(_conf, """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            runtime = "runc"

            """);
    }

    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, TimeSpan.FromMinutes(2));

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, TimeSpan timeout) =>
        Proc.RunAsync(
            "/usr/bin/podman",
            [
                "--root", Path.Combine(_dir, "storage"), "--runroot", Path.Combine(_dir, "run"), "--tmpdir", Path.Combine(_dir, "tmp"),
                "--storage-driver", "overlay", "--events-backend", "file", .. args,
            ],
            env: new Dictionary<string, string?> { ["CONTAINERS_CONF"] = _conf },
            timeout: timeout);

    public async Task<string> CheckAsync(params string[] args) => (await RunAsync(args).ConfigureAwait(false)).EnsureSuccess().Stdout;

    /// <summary>Removes every container and image of this store (the store is ours alone), then the store's mounts.</summary>
    public async Task CleanAsync()
    {
        await RunAsync("rm", "--all", "--force", "--time", "0").ConfigureAwait(false);
        await RunAsync("rmi", "--all", "--force").ConfigureAwait(false);
    }
}
