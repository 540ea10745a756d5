using System.Text;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>What `node drain` did, in one sentence an operator can act on.</summary>
internal static class DrainView
{
    public static string Render(DrainResponse drained)
    {
        var b = new StringBuilder("drained: withdrew ");
        b.Append(drained.Withdrawn.Count).Append(drained.Withdrawn.Count == 1 ? " prefix" : " prefixes");
        if (drained.Withdrawn.Count > 0)
        {
            b.Append(" (").Append(string.Join(", ", drained.Withdrawn)).Append(')');
        }
        b.Append(", then closed ").Append(drained.Peers.Count).Append(drained.Peers.Count == 1 ? " BGP session" : " BGP sessions")
            .Append(" with Cease / Administrative Shutdown");
        if (drained.Peers.Count > 0)
        {
            b.Append(" (").Append(string.Join(", ", drained.Peers)).Append(')');
        }
        b.Append(".\nThe node stays out of service until its agent restarts.\n");
        return b.ToString();
    }
}
