using RoutedNet.Ctl.Lab;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// A node's agent socket by node name, for the commands that take --node: on a cluster only this
/// host's agent is reachable (--node-socket); in the lab every node's socket is in its state file
/// ($ROUTEDNET_LAB_DIR, else /run/routednet-lab).
/// </summary>
internal static class LabNodeSockets
{
    public static string? TryFind(string node) =>
        Lab()?.Nodes.FirstOrDefault(n => n.Name == node)?.ApiSocket;

    public static string Find(string node) =>
        TryFind(node) ?? throw new CtlException(CtlExitCode.Problem,
            Lab() is null
                ? $"--node {node}: no lab at {Directory().Path}; on a cluster run the command on that node (or give its --node-socket)"
                : $"--node {node}: the lab at {Directory().Path} has no node {node}");

    private static LabState? Lab() => Directory().TryLoad();

    private static LabDirectory Directory() => new(Environment.GetEnvironmentVariable("ROUTEDNET_LAB_DIR") is { Length: > 0 } dir ? dir : LabDirectory.Default);
}
