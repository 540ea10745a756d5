namespace RoutedNet.Ipam.Check;

/// <summary>
/// What <see cref="IpamClient.CheckAsync"/> found. <see cref="Problems"/> are inconsistencies
/// (never expected); <see cref="Leaked"/> are handles not in the live set; <see cref="StaleAffinities"/>
/// are claims a crash left pending. gc clears the last two.
/// </summary>
public sealed record IpamCheckReport(
    IReadOnlyList<string> Problems,
    IReadOnlyList<LeakedHandle> Leaked,
    IReadOnlyList<string> StaleAffinities,
    int Allocations,
    int Handles,
    int Blocks)
{
    public bool IsClean => Problems.Count == 0 && Leaked.Count == 0 && StaleAffinities.Count == 0;
}
