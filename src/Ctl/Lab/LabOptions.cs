namespace RoutedNet.Ctl.Lab;

/// <summary>What `lab up` builds.</summary>
internal sealed record LabOptions(int Nodes, int PodsPerNode, string? Tor, bool NoMesh, string Prefix);
