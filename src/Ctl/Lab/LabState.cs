namespace RoutedNet.Ctl.Lab;

/// <summary>
/// Everything a lab made, written to the state file before and after each step, so `lab down`
/// can undo a `lab up` that crashed half-way: namespaces are recorded before they are created,
/// processes as soon as they have a pid.
/// </summary>
internal sealed class LabState
{
    /// <summary>Every namespace name starts with it (default "rnlab"); `down` deletes only recorded names.</summary>
    public required string Prefix { get; init; }

    public required string Datastore { get; init; }

    /// <summary>bird, frr or gobgp; null = no external router.</summary>
    public string? Tor { get; set; }

    public List<int> TorPids { get; init; } = [];

    /// <summary>
    /// False with `--no-as-override`: the router sends the nodes' AS back in the path, and the
    /// lab's BGPPeer lets it in (numAllowedLocalASNumbers). Kept for the config a joining node rewrites.
    /// </summary>
    public bool TorAsOverride { get; set; } = true;

    /// <summary>The agents' BGP backend: builtin, or gobgp (each node then runs its own gobgpd).</summary>
    public string BgpBackend { get; set; } = "builtin";

    public List<string> Namespaces { get; init; } = [];

    public List<LabNode> Nodes { get; init; } = [];

    public List<LabPod> Pods { get; init; } = [];

    public int NextNode { get; set; } = 1;

    public string TorNamespace => $"{Prefix}-tor";
}
