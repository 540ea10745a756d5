using System.Net;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Reconcilers.Routes;

/// <summary>
/// One line of the desired-vs-programmed report. <see cref="Kind"/> is null for a route of another
/// owner (then <see cref="ForeignProtocol"/> says whose).
/// </summary>
public sealed record RouteStatusEntry(
    IPNetwork Prefix,
    RouteKind? Kind,
    RouteState State,
    RouteTarget? Desired,
    RouteTarget? Programmed,
    byte? ForeignProtocol,
    string Detail);
