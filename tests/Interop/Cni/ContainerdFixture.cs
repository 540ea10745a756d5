using System.Globalization;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// containerd 1.6 (Debian) with its CRI plugin, as on a Kubernetes node, but entirely the test's
/// own: root, state, sockets and CNI dirs in a scratch dir, running inside a <see cref="CniNode"/>
/// namespace, stopped by pid. The sandbox image is imported from a local archive (no registry).
/// </summary>
public sealed class ContainerdFixture : IAsyncLifetime
{
    public const string Subnet = "10.211.0.0/24";

    private Scratch? _scratch;
    private Daemon? _containerd;

    public CniNode Node { get; private set; } = null!;
    public CniNetwork Network { get; private set; } = null!;
    public CriClient Cri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Root.Require();
        Tools.Require("/usr/bin/containerd", "containerd");
        Tools.Require("/usr/bin/ctr", "containerd");
        Tools.Require("/usr/sbin/runc", "runc");
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _scratch = Scratch.Create("rnt-cri");
        Node = CniNode.Create();
        Network = CniNetwork.CreateRoutednet(_scratch, "rnt-cri", Subnet);
        var socket = _scratch.Path("containerd.sock");
        var config = _scratch.Path("config.toml");
        File.WriteAllText(config, ContainerdConfig.Render(_scratch, socket, Network));

        _containerd = Daemon.Start("nsenter", [.. Node.EnterArgs("/usr/bin/containerd"), "--config", config], logPath: _scratch.Path("containerd.log"));
        Cri = new CriClient(socket);
        await Eventually.Until(
            async () => !_containerd.HasExited && File.Exists(socket) && (await Cri.VersionAsync()).RuntimeApiVersion == "v1",
            $"containerd's CRI to answer on {socket}; log:\n{_containerd.Log()}");

        var archive = _scratch.Path("busybox.tar");
        BusyboxImage.WriteDockerArchive(archive);
        Proc.Check("/usr/bin/ctr", "--address", socket, "--namespace", "k8s.io", "images", "import", archive);

        // NetworkReady turns true once the CRI plugin has loaded our conflist.
        await Eventually.Until(
            async () => (await Cri.ConditionAsync("NetworkReady"))?.Status == true,
            $"containerd's NetworkReady condition; log:\n{_containerd.Log()}");
    }

    public string Log() => _containerd?.Log() ?? "";

    public async Task DisposeAsync()
    {
        if (_containerd is not null)
        {
            await RemoveLeftoverSandboxesAsync();
            _containerd.Dispose();
        }
        Cri?.Dispose();
        if (_scratch is not null)
        {
            KillLeftoverShims(_scratch);
            _scratch.Dispose();
        }
        Node?.Dispose();
    }

    // A failed test can leave a sandbox running: tear it down the way kubelet would, so that
    // containerd runs the CNI DEL and removes its netns, before we stop containerd.
    private async Task RemoveLeftoverSandboxesAsync()
    {
        if (_containerd!.HasExited)
        {
            return;
        }
        try
        {
            foreach (var sandbox in await Cri.ListPodSandboxAsync())
            {
                await Cri.StopPodSandboxAsync(sandbox.Id);
                await Cri.RemovePodSandboxAsync(sandbox.Id);
            }
        }
#pragma warning disable CA1031 // cleanup is best effort; the scratch dir's unmount follows anyway
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    // Shims outlive containerd by design. A pid file in our state dir may be stale (the pid long
    // gone and reused by an unrelated process), so a pid is killed only when it is still ours: a
    // shim whose command line names our scratch dir, or a direct child of such a shim.
    private static void KillLeftoverShims(Scratch scratch)
    {
        var tasks = scratch.Path("state/io.containerd.runtime.v2.task");
        if (!Directory.Exists(tasks))
        {
            return;
        }
        var recorded = Directory.EnumerateFiles(tasks, "*.pid", SearchOption.AllDirectories)
            .Select(ReadPid).OfType<int>().ToHashSet();
        var shims = recorded.Where(pid => CommandLine(pid).Contains(scratch.Root, StringComparison.Ordinal)).ToHashSet();
        var children = recorded.Where(pid => !shims.Contains(pid) && ParentPid(pid) is int parent && shims.Contains(parent));
        foreach (var pid in children.Concat(shims))
        {
            Proc.Run("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static int? ReadPid(string pidFile) =>
        int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int? ParentPid(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
