namespace RoutedNet.Felix.Dataplane;

/// <summary>A network interface in the agent's namespace (`ip link show`).</summary>
public readonly record struct KernelLink(int Index, string Name);
