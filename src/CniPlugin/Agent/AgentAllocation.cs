using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// The agent's answer to an allocation: the addresses as an IPAM result, and whether it also
/// registered the pod's endpoint (asked by a `routednet` ADD; false from an agent older than that,
/// or when the registration failed: the plugin then registers it itself).
/// </summary>
internal sealed record AgentAllocation(CniResult Result, bool EndpointRegistered);
