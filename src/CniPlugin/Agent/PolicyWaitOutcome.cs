namespace RoutedNet.CniPlugin.Agent;

/// <summary>How ADD's wait for the pod's policy ended.</summary>
internal enum PolicyWaitOutcome
{
    /// <summary>No wait: turned off, no agent on the node, or an agent without the method.</summary>
    NotWaited,

    /// <summary>The agent confirmed the pod's policy is in force.</summary>
    Programmed,

    /// <summary>The timeout ran out: the pod stays closed until the agent programs it.</summary>
    TimedOut,
}
