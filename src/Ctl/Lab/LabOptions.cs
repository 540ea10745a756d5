namespace RoutedNet.Ctl.Lab;

/// <summary>
/// What `lab up` builds; <paramref name="BgpBackend"/> is the agents' `--bgp-backend` (builtin or gobgp);
/// <paramref name="NoAsOverride"/> is `--no-as-override` (the router sends the nodes' AS back unchanged).
/// </summary>
internal sealed record LabOptions(int Nodes, int PodsPerNode, string? Tor, bool NoMesh, string Prefix, string BgpBackend = "builtin", bool NoAsOverride = false);
