namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// After a change at datastore revision R, the lab probes only once every node's agent reports
/// that it enforces R (no sleeps: lab notes netpol §4).
/// </summary>
internal static class PolicyEnforcement
{
    /// <summary>
    /// PLACEHOLDER until the agents' GetPolicyStatus (issue 16, helper "enforce") is on main: it
    /// returns at once, so probes may run before a change is in force.
    /// </summary>
    public static Task<TimeSpan> WaitUntilEveryNodeEnforcesAsync(LabState state, long revision, CancellationToken cancellationToken) =>
        Task.FromResult(TimeSpan.Zero);
}
