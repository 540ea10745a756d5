using System.Diagnostics;
using RoutedNet.Ctl.Agent;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// After a change at datastore revision R, the lab probes only once every node's agent reports
/// (GetPolicyStatus on its API socket) that it enforces R: its enforced revision, the highest one
/// whose policy-relevant state is committed to nftables, has reached R. No sleeps (lab notes netpol
/// §4): the agents are asked until they say so, and a node that never does within the timeout is
/// an error naming it and what it enforces.
/// </summary>
internal static class PolicyEnforcement
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>How long it took from the call until the last node enforced <paramref name="revision"/>.</summary>
    public static async Task<TimeSpan> WaitUntilEveryNodeEnforcesAsync(LabState state, long revision, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connections = state.Nodes.Select(n => (Node: n, Api: new NodeApiConnection(n.ApiSocket))).ToList();
        try
        {
            foreach (var (node, api) in connections)
            {
                var enforced = -1L;
                while (true)
                {
                    try
                    {
                        enforced = (await api.GetPolicyStatusAsync(cancellationToken).ConfigureAwait(false)).EnforcedRevision;
                    }
                    catch (CtlException) when (clock.Elapsed < Timeout)
                    {
                        // The agent restarting (its socket not there yet): ask again.
                    }
                    if (enforced >= revision)
                    {
                        break;
                    }
                    if (clock.Elapsed > Timeout)
                    {
                        throw new CtlException(CtlExitCode.Problem,
                            $"{node.Name} does not enforce datastore revision {revision} after {Timeout.TotalSeconds:0} s (it enforces {(enforced < 0 ? "nothing it would report" : enforced.ToString(System.Globalization.CultureInfo.InvariantCulture))}; log {node.Log})");
                    }
                    await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
                }
            }
            return clock.Elapsed;
        }
        finally
        {
            foreach (var (_, api) in connections)
            {
                api.Dispose();
            }
        }
    }
}
