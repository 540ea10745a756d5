using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// The attributes a path is exported with, worked out once for every peer that gets the same
/// result rather than once per peer. <see cref="ExportRules.Transform"/> looks only at the path
/// and at the facts of <see cref="ExportShape"/> (never at which peer it is), so a route
/// reflector's clients, which share all of them, share one transformed set per path: with 1,000
/// clients the Adj-RIBs-Out hold 1,000 sets instead of a million copies, and the transform runs a
/// thousand times less. Entries live as long as the learned attributes they derive from (a weak
/// table keyed by the interned set), so nothing needs to be evicted.
/// </summary>
internal sealed class SharedExports(ExportRules rules)
{
    private readonly ConditionalWeakTable<PathAttributes, Dictionary<ExportShape, PathAttributes?>> _bySource = new();

    public PathAttributes? Transform(RoutePath path, AddressFamily family, ExportTarget target)
    {
        var shapes = _bySource.GetOrCreateValue(path.Attributes);
        var shape = new ExportShape(path.Source, family, target.LocalAs, target.IsInternal, target.Policy, target.NextHopV4, target.NextHopV6);
        if (!shapes.TryGetValue(shape, out var result))
        {
            result = rules.Transform(path, family, target);
            shapes.Add(shape, result);
        }
        return result;
    }

    /// <summary>Everything besides the path that the transform depends on.</summary>
    private readonly record struct ExportShape(
        PathSource Source,
        AddressFamily Family,
        uint LocalAs,
        bool IsInternal,
        ExportPolicy Policy,
        IPAddress? NextHopV4,
        IPAddress? NextHopV6);
}
