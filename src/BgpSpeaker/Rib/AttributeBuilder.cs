using System.Collections.Immutable;
using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>A mutable copy of a <see cref="PathAttributes"/>, for the few places that derive new attributes (import, export).</summary>
internal sealed class AttributeBuilder(PathAttributes from)
{
    public Origin? Origin { get; set; } = from.Origin;

    public AsPath? AsPath { get; set; } = from.AsPath;

    public IPAddress? NextHop { get; set; } = from.NextHop;

    public uint? MultiExitDisc { get; set; } = from.MultiExitDisc;

    public uint? LocalPref { get; set; } = from.LocalPref;

    public uint? OriginatorId { get; set; } = from.OriginatorId;

    public ImmutableArray<uint> ClusterList { get; set; } = from.ClusterList;

    public ImmutableArray<uint> Communities { get; set; } = from.Communities;

    public ImmutableArray<LargeCommunity> LargeCommunities { get; set; } = from.LargeCommunities;

    public PathAttributes Build() => new()
    {
        Origin = Origin,
        AsPath = AsPath,
        NextHop = NextHop,
        MultiExitDisc = MultiExitDisc,
        LocalPref = LocalPref,
        AtomicAggregate = from.AtomicAggregate,
        Aggregator = from.Aggregator,
        Communities = Communities,
        LargeCommunities = LargeCommunities,
        OriginatorId = OriginatorId,
        ClusterList = ClusterList,
        Unknown = from.Unknown,
    };
}
