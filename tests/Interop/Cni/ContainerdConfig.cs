namespace RoutedNet.Interop.Cni;

/// <summary>containerd's config.toml for a private instance (see ../shared/lab-notes/cni-runtimes.md).</summary>
public static class ContainerdConfig
{
    public static string Render(Scratch scratch, string socket, CniNetwork network) => $"""
        version = 2
        root = "{scratch.Path("root")}"
        state = "{scratch.Path("state")}"
        # Snapshotters this machine cannot run only add noise to the log.
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

        [grpc]
          address = "{socket}"

        [ttrpc]
          address = "{socket}.ttrpc"

        [plugins."io.containerd.internal.v1.opt"]
          path = "{scratch.Path("opt")}"

        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "{BusyboxImage.Reference}"
          # No CAP_SYS_RESOURCE here: runc cannot give the sandbox oom_score_adj -998.
          restrict_oom_score_adj = true
          # Port 0: a free port, so parallel instances never clash on the default 10010.
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"

          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "{network.BinDir}"
            conf_dir = "{network.ConfDir}"
            max_conf_num = 1
        """;
}
