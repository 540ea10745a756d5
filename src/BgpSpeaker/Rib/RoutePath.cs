using RoutedNet.BgpSpeaker.Wire;
namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>One candidate route for a prefix: its attributes and where it came from.</summary>
public sealed class RoutePath(PathSource source, PathAttributes attributes)
{
    public PathSource Source { get; } = source;

    public PathAttributes Attributes { get; } = attributes;

    /// <summary>Kept from a peer that went away with graceful restart negotiated (RFC 4724 §4.2); swept unless re-learned.</summary>
    public bool IsStale { get; set; }

    /// <summary>Cost to the next hop where an IGP tells us; null when unknown (the step is then skipped).</summary>
    public uint? IgpCost { get; init; }

    public override string ToString() => $"via {Attributes.NextHop} from {Source}{(IsStale ? " (stale)" : "")}";
}
