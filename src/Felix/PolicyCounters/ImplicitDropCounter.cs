namespace RoutedNet.Felix.PolicyCounters;

/// <summary>
/// The drops no policy rule made, counted exactly by the kernel on this node: a tier's end (some
/// policy of the tier selected the pod, none decided) and an interface the agent has not programmed.
/// </summary>
/// <param name="Tier">The tier whose end dropped; empty for an unknown endpoint.</param>
/// <param name="Direction">"ingress" or "egress".</param>
/// <param name="Reason">"end-of-tier" or "unknown-endpoint" (the words of routednet_policy_drops_total).</param>
public sealed record ImplicitDropCounter(string Tier, string Direction, string Reason, ulong Packets, ulong Bytes);
