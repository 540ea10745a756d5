namespace RoutedNet.Ctl.Lab;

/// <summary>One pod: its own network namespace, wired by the CNI plugin on <see cref="Node"/>.</summary>
internal sealed class LabPod
{
    public required string Name { get; init; }

    public required string Node { get; init; }

    public required string Namespace { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>Bare addresses from the CNI result (no prefix length).</summary>
    public List<string> Addresses { get; init; } = [];
}
