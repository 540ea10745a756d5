using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.Felix.Dataplane;

/// <summary>Receives the routes of <see cref="IKernelRoutes.ScanRoutes"/> one at a time.</summary>
public interface IKernelRouteSink
{
    /// <summary>One main-table route: its prefix, where it sends packets and its owner's protocol number.</summary>
    void Route(BgpPrefix destination, RouteTarget target, byte protocol);

    /// <summary>The kernel interrupted the read (its table changed meanwhile): forget what was handed over so far, it starts again.</summary>
    void Restart();
}
