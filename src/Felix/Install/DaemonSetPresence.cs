namespace RoutedNet.Felix.Install;

/// <summary>The agent's DaemonSet as the API server has it.</summary>
public enum DaemonSetPresence
{
    /// <summary>There and not being deleted: a restart or an upgrade.</summary>
    Present,

    /// <summary>NotFound: deleted (helm uninstall deletes it with background propagation, then its pods).</summary>
    Gone,

    /// <summary>A deletionTimestamp: deleted with foreground propagation, its pods going first.</summary>
    BeingDeleted,
}
