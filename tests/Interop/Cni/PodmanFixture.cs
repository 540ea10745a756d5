using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// Rootful podman 4.3 with its CNI backend (libcni), as a developer runs it, but with the test's
/// own containers.conf, storage, run and CNI dirs, inside a <see cref="CniNode"/> namespace.
/// Settings per ../shared/lab-notes/cni-runtimes.md: runc (crun rejects the hybrid cgroup layout),
/// cgroupfs, file events, and ulimits pinned below the hard limit (no CAP_SYS_RESOURCE here).
/// </summary>
public sealed class PodmanFixture : IAsyncLifetime
{
    public const string Subnet = "10.211.1.0/24";

    private Scratch? _scratch;
    private string _containersConf = "";

    public CniNode Node { get; private set; } = null!;
    public CniNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Root.Require();
        Tools.Require("/usr/bin/podman", "podman");
        Tools.Require("/usr/sbin/runc", "runc");
        try
        {
            _scratch = Scratch.Create("rnt-podman");
            Node = CniNode.Create();
            Network = CniNetwork.CreateRoutednet(_scratch, "rnt-pm", Subnet);
            _containersConf = _scratch.Path("containers.conf");
            File.WriteAllText(_containersConf, RenderContainersConf(Network));

            var archive = _scratch.Path("busybox.tar");
            BusyboxImage.WriteDockerArchive(archive);
            (await PodmanAsync("load", "--input", archive)).EnsureSuccess();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs `podman ARGS` with the test's configuration, in the node's network namespace.</summary>
    public Task<ProcessResult> PodmanAsync(params string[] args) =>
        Proc.RunAsync(
            "nsenter",
            [
                .. Node.EnterArgs("/usr/bin/podman"),
                "--root", _scratch!.Path("storage"),
                "--runroot", _scratch.Path("run"),
                "--tmpdir", _scratch.Path("tmp"),
                "--storage-driver", "overlay",
                .. args,
            ],
            env: new Dictionary<string, string?> { ["CONTAINERS_CONF"] = _containersConf });

    public async Task DisposeAsync()
    {
        if (_scratch is not null && Node is not null && File.Exists(_containersConf))
        {
            // A failed test may leave its container running: removing it runs the CNI DEL.
            await PodmanAsync("rm", "--all", "--force", "--time", "0");
        }
        _scratch?.Dispose();
        Node?.Dispose();
    }

    private static string RenderContainersConf(CniNetwork network)
    {
        var nofile = HardOpenFilesLimit();
        return $"""
            [containers]
            default_ulimits = ["nofile={nofile}:{nofile}", "nproc=4096:4096"]

            [network]
            network_backend = "cni"
            cni_plugin_dirs = ["{network.BinDir}"]
            network_config_dir = "{network.ConfDir}"
            default_network = "{network.Name}"

            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            runtime = "runc"
            """;
    }

    // podman asks for RLIMIT_NOFILE 1048576 by default; without CAP_SYS_RESOURCE only up to our hard limit works.
    private static string HardOpenFilesLimit() =>
        File.ReadLines("/proc/self/limits")
            .First(line => line.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
}
