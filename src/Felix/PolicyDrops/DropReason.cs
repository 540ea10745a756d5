namespace RoutedNet.Felix.PolicyDrops;

/// <summary>Why policy dropped a packet: the label value of routednet_policy_drops_total{reason}.</summary>
public enum DropReason
{
    /// <summary>A Deny rule matched.</summary>
    Rule,

    /// <summary>Policies of a tier selected the endpoint and none of their rules decided.</summary>
    EndOfTier,

    /// <summary>The pod's interface is not programmed yet (or any more): fail closed.</summary>
    UnknownEndpoint,

    /// <summary>A packet of a flow a policy change refused after it was established (its conntrack entry marked revoked).</summary>
    Revoked,
}
