namespace RoutedNet.Ipam.Check;

/// <summary>
/// What <see cref="IpamClient.CheckAsync"/> found. <see cref="Problems"/> are inconsistencies
/// (never expected); <see cref="Leaked"/> are handles not in the live set; <see cref="StaleAffinities"/>
/// are claims a crash left pending; <see cref="Interrupted"/> are the states a crash leaves between
/// two writes of the sequential order (an over-counting handle, an unconfirmed claim, an affinity
/// without its block, a block without affinity). gc clears the last three.
/// </summary>
public sealed record IpamCheckReport(
    IReadOnlyList<string> Problems,
    IReadOnlyList<LeakedHandle> Leaked,
    IReadOnlyList<string> StaleAffinities,
    int Allocations,
    int Handles,
    int Blocks)
{
    /// <summary>One line per state an interrupted write sequence left (none in the transactional mode).</summary>
    public IReadOnlyList<string> Interrupted { get; init; } = [];

    public bool IsClean => Problems.Count == 0 && Leaked.Count == 0 && StaleAffinities.Count == 0 && Interrupted.Count == 0;
}
