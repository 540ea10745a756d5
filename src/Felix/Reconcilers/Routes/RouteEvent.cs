using System.Net;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>What the route reconciler's loop is told: changes from its sources and questions from the API.</summary>
public abstract record RouteEvent
{
    private RouteEvent()
    {
    }

    /// <summary>One reason's routes for some prefixes (a batch: BGP sends thousands at once); a null target removes one.</summary>
    public sealed record RoutesSet(RouteKind Kind, IReadOnlyList<(BgpPrefix Prefix, RouteTarget? Target)> Routes) : RouteEvent;

    /// <summary>Everything one reason wants, replacing what it wanted before.</summary>
    public sealed record SourceReplaced(RouteKind Kind, IReadOnlyDictionary<IPNetwork, RouteTarget> Routes) : RouteEvent;

    /// <summary>The source of a kind has delivered its full state.</summary>
    public sealed record SourceInSync(RouteKind Kind) : RouteEvent;

    /// <summary>The source of a kind starts over and will deliver its full state again.</summary>
    public sealed record SourceRestarted(RouteKind Kind) : RouteEvent;

    /// <summary>The API asks for the report; with <see cref="Fresh"/> the kernel is read back first.</summary>
    public sealed record ReportRequested(bool Fresh, TaskCompletionSource<RouteReport> Reply) : RouteEvent;
}
