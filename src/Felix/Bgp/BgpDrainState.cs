using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Bgp;

/// <summary>The node's drain as the BGP host carries it out: the phase now, and when the withdraw is (or was) due.</summary>
public sealed record BgpDrainState(DrainPhase Phase, DateTimeOffset? Since, DateTimeOffset? WithdrawAt)
{
    public static readonly BgpDrainState InService = new(DrainPhase.InService, null, null);

    /// <summary>The phase of <paramref name="drain"/> at <paramref name="now"/>.</summary>
    public static BgpDrainState At(NodeDrain? drain, DateTimeOffset now) => drain switch
    {
        null => InService,
        _ when now < drain.WithdrawAt => new(DrainPhase.GracefulShutdown, drain.Since, drain.WithdrawAt),
        _ => new(DrainPhase.Drained, drain.Since, drain.WithdrawAt),
    };
}
