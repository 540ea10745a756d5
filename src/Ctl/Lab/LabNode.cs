namespace RoutedNet.Ctl.Lab;

/// <summary>One lab node as recorded in the state file: its namespace, uplink address and agent.</summary>
internal sealed class LabNode
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The node's uplink address on the tor bridge (bare IPv4).</summary>
    public required string Address { get; init; }

    /// <summary>0 while no agent runs (recorded before start, set once it is started).</summary>
    public int AgentPid { get; set; }

    public required string ApiSocket { get; init; }

    /// <summary>The node's own gobgpd with `--bgp-backend gobgp` (0: none); it outlives its agent's restarts.</summary>
    public int GoBgpPid { get; set; }

    public required int HealthPort { get; init; }

    public required string Log { get; init; }

    /// <summary>Next pod number on this node (pods are NODE-podN).</summary>
    public int NextPod { get; set; } = 1;
}
