using System.Globalization;

namespace RoutedNet.PolicyBench;

/// <summary>
/// One measured change: the datastore write's own time, write returned -> the agent enforces its
/// revision, the agent's inputs -> committed for it (PolicyStatus.last_programming_seconds), and
/// `nft -f` of the same delta on the reference copy (null: the kernel table did not change).
/// </summary>
internal sealed record ChangeSample(string Kind, double WriteMs, double EnforcedMs, double AgentProgrammingMs, double? NftMs, int DeltaLines)
{
    public override string ToString() => string.Join('\t', Kind,
        WriteMs.ToString("F3", CultureInfo.InvariantCulture), EnforcedMs.ToString("F3", CultureInfo.InvariantCulture),
        AgentProgrammingMs.ToString("F3", CultureInfo.InvariantCulture), NftMs?.ToString("F3", CultureInfo.InvariantCulture) ?? "-",
        DeltaLines.ToString(CultureInfo.InvariantCulture));
}
