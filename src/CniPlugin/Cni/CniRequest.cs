namespace RoutedNet.CniPlugin.Cni;

/// <summary>One invocation: its CNI_* environment and the network configuration from stdin.</summary>
internal sealed record CniRequest(CniEnvironment Environment, NetworkConfig Config);
